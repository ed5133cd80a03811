# The Classic cloud service has no endpoint for the VM's port 22 (only HTTP).
# expect: endpoint-acl
# models: classic
# fixed: --yes
inject() {
    cloud_classic no-ssh-endpoint
    cloud_drop
}
