# Nothing breaks; the run reads the lab's ssh_config through -F and gets the key with -i identity.
# expect:
# client: file
inject() { :; }
