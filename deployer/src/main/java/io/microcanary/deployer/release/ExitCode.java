package io.microcanary.deployer.release;

/** Exit codes a CI pipeline can branch on. */
public final class ExitCode {
    public static final int OK = 0;
    /** The release failed or was aborted. */
    public static final int FAILED = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** Analysis could not decide (too little traffic): the canary is left as it is, paused. */
    public static final int INCONCLUSIVE = 3;

    private ExitCode() {
    }
}
