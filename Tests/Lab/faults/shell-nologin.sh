# rblab's shell in the VM's passwd is /usr/sbin/nologin: the key is accepted, the session ends at once.
# expect: account
inject() {
    edit_account_file passwd '$1 == user { $7 = "/usr/sbin/nologin" } { print }'
}
