package io.orca;

/** Imports that do not resolve or do not match (kind UNLINKABLE); the message names the import. */
public class LinkException extends OrcaException {
    private static final long serialVersionUID = 1L;

    LinkException(String message) {
        super(Kind.UNLINKABLE, message);
    }
}
