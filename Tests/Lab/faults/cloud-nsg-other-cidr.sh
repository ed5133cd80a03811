# The NSG allows SSH only from another CIDR (203.0.113.0/24), not from the client.
# expect: nsg-allows-ssh
# models: arm
# fixed: --yes
inject() {
    cloud_scenario allow-other-cidr
    cloud_drop
}
