# Something between client and VM drops SSH (a route, an appliance, the edge): the NSG or endpoint ACL, the VM's firewall and sshd all allow it.
# expect: path-drops
inject() {
    cloud_drop
}
