# sshd stopped; a python3 listener on VM:22 answers HTTP/1.1 400 Bad Request and closes.
# expect: ssh-banner
inject() {
    stop_sshd
    wait_not_listen 22 || die "sshd still listening"
    start_not_ssh
}
