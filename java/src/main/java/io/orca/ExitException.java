package io.orca;

/** The guest exited (WASI proc_exit) with a status; kind EXIT. */
public class ExitException extends OrcaException {
    private static final long serialVersionUID = 1L;

    private final int status;

    ExitException(String message, int status) {
        super(Kind.EXIT, message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
