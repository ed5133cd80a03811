# ThisIsNotAnOption yes added to sshd_config, sshd restarted: it fails, nothing listens.
# expect: sshd-config-valid
inject() {
    stop_sshd
    wait_not_listen 22 || die "sshd still listening"
    write_sshd_config 22 "ThisIsNotAnOption yes"
    if start_sshd; then die "sshd started with a broken config"; fi
}
