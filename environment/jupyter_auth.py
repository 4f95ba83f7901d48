"""Checks, before `environment/lab jupyter` starts Jupyter, that the server will ask for a token or a
password: Jupyter reads the user's configuration (~/.jupyter/jupyter_notebook_config.py or .json,
JUPYTER_CONFIG_DIR, JUPYTER_TOKEN, the command line), and `c.NotebookApp.token = ''` there with no
password silently turns authentication off, letting anyone who reaches the port run code as this
user. Exits 0 when authentication is on, 3 with an explanation when it is off, 4 when Jupyter is not
installed yet.

    jupyter_auth.py [JUPYTER ARGS ...]   (the arguments `lab jupyter` passes on to Jupyter)
"""
import sys


def effective_auth(argv):
    """(token, has_password, app name) as the Jupyter server started with `argv` would have them, or
    None if neither notebook 6 nor jupyter_server is installed."""
    try:
        from notebook.notebookapp import NotebookApp as App  # notebook 6 (Debian 12's jupyter-notebook)
        name = "NotebookApp"
    except ImportError:
        try:
            from jupyter_server.serverapp import ServerApp as App  # notebook 7 runs on jupyter_server
            name = "ServerApp"
        except ImportError:
            return None
    app = App()
    app.parse_command_line(argv)
    app.load_config_file()
    token = app.token
    identity = getattr(app, "identity_provider", None)
    if identity is not None and hasattr(identity, "token"):
        token = identity.token or token
    return token, bool(getattr(app, "password", "") or getattr(identity, "hashed_password", "")), name


def main():
    found = effective_auth(sys.argv[1:])
    if found is None:
        return 4  # Jupyter is not installed yet: `lab jupyter` asks again after the installer
    token, password, name = found
    if token or password:
        return 0
    print(f"rnnlab: your Jupyter configuration turns authentication off (c.{name}.token = '' and no password, "
          "from ~/.jupyter/jupyter_notebook_config.py or .json, JUPYTER_CONFIG_DIR or the command line): anyone "
          "who can reach the port, any user or program on this machine included, could run code as you.\n"
          "rnnlab: remove that setting or set a password (jupyter notebook password); if you really mean to run "
          "without authentication, say so: environment/lab jupyter --no-auth-i-mean-it", file=sys.stderr)
    return 3


if __name__ == "__main__":
    sys.exit(main())
