# A healthy VM whose host key is not yet in the client's ~/.ssh/known_hosts (every first connection).
# expect: client-known-hosts
inject() {
    : >"$CLIENT_HOME/.ssh/known_hosts"
}
