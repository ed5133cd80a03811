# sshd runs with its own -f config at another path holding AllowUsers someoneelse; /etc/ssh/sshd_config is healthy.
# expect: login-allowed
inject() {
    stop_sshd
    wait_not_listen 22 || die "sshd still listening"
    write_sshd_config 22 "AllowUsers someoneelse"
    mv -f "$ETC/ssh/sshd_config" "$RUN/own_sshd_config"
    write_sshd_config 22
    nsx "$SSHD_BIN" -f "$RUN/own_sshd_config" -E "$LOGS/sshd.log" </dev/null >>"$LOGS/sshd.out" 2>&1 || die "sshd did not start"
    wait_listen 22 || die "sshd is not listening on 22"
}
