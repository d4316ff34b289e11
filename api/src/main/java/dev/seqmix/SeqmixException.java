package dev.seqmix;

/**
 * A device or driver failure (an OpenCL error, a failed kernel build, memory exhausted on a device).
 * The message names the failing call and, for OpenCL, the error name; for a failed program build it
 * carries the build log.
 */
public class SeqmixException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SeqmixException(String message) {
        super(message);
    }

    public SeqmixException(String message, Throwable cause) {
        super(message, cause);
    }
}
