# The client ssh_config gets a ProxyCommand to a closed port before Host *.
# expect: client-ssh-config
# client: file
inject() {
    write_client_config "ProxyCommand bash -c 'exec 3<>/dev/tcp/127.0.0.1/9'"
}
