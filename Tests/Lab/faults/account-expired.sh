# rblab's account expired on 2020-01-01 (shadow expire field 18262, usermod -e 2020-01-01).
# expect: account
inject() {
    edit_account_file shadow '$1 == user { $8 = 18262 } { print }'
}
