# sshd listens on 127.0.0.1:22 only (ListenAddress 127.0.0.1 replaces the VM's address).
# expect: sshd-listening
inject() {
    stop_sshd
    wait_not_listen 22 || die "sshd still listening"
    write_sshd_config 22
    sed -i "s/^ListenAddress .*/ListenAddress 127.0.0.1/" "$ETC/ssh/sshd_config"
    start_sshd || die "sshd did not start"
    wait_listen 22 || die "sshd is not listening on 22"
}
