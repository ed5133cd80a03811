# rblab's password field in the VM's shadow starts with "!" (usermod -L); with UsePAM no sshd refuses the account.
# expect: account
inject() {
    edit_account_file shadow '$1 == user { $2 = "!" $2 } { print }'
}
