# The client's ~/.ssh/config maps the VM's address to another one (HostName): ssh connects elsewhere.
# expect: client-ssh-config
inject() {
    write_home_config "Host $(vm_addr)" "    HostName $(fabric_addr)" ""
}
