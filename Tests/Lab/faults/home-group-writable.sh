# rblab's home on the VM is chmod 775 with group "users" (gid 100, no members): StrictModes refuses it,
# in Debian's sshd too (it accepts group write only for a group that is the user's alone).
# expect: authorized-keys
inject() {
    chgrp 100 "$HOME_DIR"
    chmod 775 "$HOME_DIR"
}
