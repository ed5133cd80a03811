# sshd started with -o AllowUsers=nobody on its command line; the file is healthy.
# expect: login-allowed
inject() {
    stop_sshd
    wait_not_listen 22 || die "sshd still listening"
    nsx "$SSHD_BIN" -f /etc/ssh/sshd_config -o AllowUsers=nobody -E "$LOGS/sshd.log" </dev/null >>"$LOGS/sshd.out" 2>&1 \
        || die "sshd did not start"
    wait_listen 22 || die "sshd is not listening on 22"
}
