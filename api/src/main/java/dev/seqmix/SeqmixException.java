package dev.seqmix;

/**
 * A device or driver failure (an OpenCL error, a failed kernel build, memory exhausted on a device).
 * The message names the failing call and, for OpenCL, the error name; for a failed program build it
 * carries the build log.
 */
public class SeqmixException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure without an underlying exception.
     *
     * @param message what failed, naming the call
     */
    public SeqmixException(String message) {
        super(message);
    }

    /**
     * A failure caused by another exception (a JOCL {@code CLException}, for instance).
     *
     * @param message what failed, naming the call
     * @param cause   the underlying exception
     */
    public SeqmixException(String message, Throwable cause) {
        super(message, cause);
    }
}
