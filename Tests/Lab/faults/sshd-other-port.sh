# sshd runs with Port 2222 only.
# expect: sshd-listening
inject() {
    restart_sshd_with_config 2222
}
