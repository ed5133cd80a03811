# AuthenticationMethods publickey,password (password login enabled): a key alone never completes the login.
# expect: login-allowed
inject() {
    stop_sshd
    wait_not_listen 22 || die "sshd still listening"
    write_sshd_config 22 "AuthenticationMethods publickey,password"
    sed -i "s/^PasswordAuthentication no$/PasswordAuthentication yes/" "$ETC/ssh/sshd_config"
    start_sshd || { show_failure; die "sshd did not start"; }
    wait_listen 22 || die "sshd is not listening on 22"
}
