# The VM is deallocated; the run may fix it (--yes): `az vm start` (the stub's hook lets packets through again).
# expect: vm-running
# models: arm
# args: --yes
# outcome: resolved
inject() {
    cloud_scenario vm-deallocated
    cloud_drop all
}
