# rblab's home directory on the VM is gone (with its ~/.ssh/authorized_keys).
# expect: account
inject() {
    [[ $HOME_DIR == "$DIR"/home/* ]] || die "unexpected home $HOME_DIR"
    rm -rf -- "$HOME_DIR"
}
