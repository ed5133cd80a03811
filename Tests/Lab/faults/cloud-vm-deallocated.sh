# The VM is deallocated: the cloud says so (az / the recorded Classic deployment) and nothing reaches it.
# expect: vm-running
inject() {
    cloud_scenario vm-deallocated
    cloud_classic stopped-deallocated
    cloud_drop all
}
