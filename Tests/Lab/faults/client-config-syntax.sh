# The client's ~/.ssh/config has a line ssh cannot parse: ssh stops before connecting.
# expect: client-ssh-config
inject() {
    write_home_config "ThisIsNotAnOption yes"
}
