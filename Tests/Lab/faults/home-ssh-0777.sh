# rblab's ~/.ssh on the VM is chmod 777 (StrictModes refuses it).
# expect: authorized-keys
inject() {
    chmod 777 "$HOME_DIR/.ssh"
}
