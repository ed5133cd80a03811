# sshd has no host keys: the serial log says so and sshd is not running; there is no way into the VM (no --vm).
# expect: boot-diagnostics
# models: arm
# vm: none
inject() {
    cloud_scenario boot-no-host-keys
    stop_sshd
    wait_not_listen 22 || die "sshd still listening"
}
