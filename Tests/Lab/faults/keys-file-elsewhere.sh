# sshd reads keys from /etc/ssh/keys/%u (AuthorizedKeysFile, replaced in sshd_config); the key is only in ~/.ssh/authorized_keys.
# expect: authorized-keys
inject() {
    install -d -m 755 "$ETC/ssh/keys"
    stop_sshd
    wait_not_listen 22 || die "sshd still listening on 22"
    write_sshd_config 22
    # sshd keeps the first AuthorizedKeysFile it reads, so replace the line instead of adding one.
    sed -i 's|^AuthorizedKeysFile .*|AuthorizedKeysFile /etc/ssh/keys/%u|' "$ETC/ssh/sshd_config"
    start_sshd || { show_failure; die "sshd did not start"; }
    wait_listen 22 || die "sshd is not listening on 22"
}
