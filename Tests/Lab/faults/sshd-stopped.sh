# The lab sshd is killed.
# expect: sshd-running
inject() {
    stop_sshd
    wait_not_listen 22 || die "sshd still listening"
}
