# The NIC's NSG allows SSH but the subnet's NSG has only the default rules (DenyAllInBound decides).
# expect: nsg-allows-ssh
# models: arm
# fixed: --yes
inject() {
    cloud_scenario subnet-defaults-only
    cloud_drop
}
