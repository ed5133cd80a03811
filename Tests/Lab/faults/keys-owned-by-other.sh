# rblab's ~/.ssh/authorized_keys on the VM belongs to nobody (uid 65534): StrictModes refuses it.
# expect: authorized-keys
inject() {
    chown 65534 "$HOME_DIR/.ssh/authorized_keys"
}
