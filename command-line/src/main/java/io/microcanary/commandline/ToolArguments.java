package io.microcanary.commandline;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Reads a small tool's arguments (report, the dev stack) into its picocli-annotated options and words a mistake as
 * one line naming the option: {@code --top must be a whole number above 0, was 'none'}, {@code --env-file needs a
 * value}, {@code unknown option --colour}. The tool prints it with the {@link #usage()} and exits 2.
 */
public final class ToolArguments {

    private final CommandLine commandLine;

    public ToolArguments(Object options) {
        commandLine = new CommandLine(options)
                .setOverwrittenOptionsAllowed(true) // an option given twice: the last one counts
                .setExpandAtFiles(false) // an argument starting with @ is a value, not a file of arguments
                .setUsageHelpWidth(120);
    }

    /**
     * Fills the options from {@code args}.
     *
     * @return false when the user asked for the help instead ({@code -h}, {@code --help})
     * @throws UsageError when the arguments are not ones the tool takes
     */
    public boolean parse(String... args) {
        try {
            commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new UsageError(oneLine(e), e);
        }
        return !commandLine.isUsageHelpRequested();
    }

    /** The help: synopsis, options and footer, ending with a line break. */
    public String usage() {
        return commandLine.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static String oneLine(CommandLine.ParameterException e) {
        if (e.getCause() instanceof ValueConverter.InvalidValue invalid) {
            return name(e.getArgSpec()) + " must be " + invalid.expected() + ", was '" + invalid.value() + "'";
        }
        if (e instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()
                && missing.getMissing().get(0).isOption()) {
            return name(missing.getMissing().get(0)) + " needs a value";
        }
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            return first.startsWith("-") ? "unknown option " + first : "unexpected argument '" + first + "'";
        }
        return e.getMessage();
    }

    private static String name(ArgSpec spec) {
        return spec instanceof OptionSpec option ? option.longestName() : spec.paramLabel();
    }

    /** Arguments the tool does not take; the message says which and why, in one line. */
    public static final class UsageError extends IllegalArgumentException {
        UsageError(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
