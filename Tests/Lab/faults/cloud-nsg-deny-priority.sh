# The NIC's NSG denies TCP 22 at priority 100, above its allow at 200; the cloud drops the packets.
# expect: nsg-allows-ssh
# models: arm
# fixed: --yes
inject() {
    cloud_scenario nsg-deny-100
    cloud_drop
}
