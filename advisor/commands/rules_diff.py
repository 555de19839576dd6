def register(actions):
    pass
