package io.livehub.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program (ffmpeg, rtmpdump, gst-launch-1.0, ...) for an interop test, with
 * its output captured to a file and a hard time limit, so a hung program never hangs the
 * build.
 */
public final class ExternalProcess implements AutoCloseable {

    private final List<String> command;
    private final Process process;
    private final Path log;

    private ExternalProcess(List<String> command, Process process, Path log) {
        this.command = command;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code program args...}; the program is looked up with {@link Interop#require}. */
    public static ExternalProcess start(Path workDir, String program, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Interop.require(program));
        cmd.addAll(Arrays.asList(args));
        Path log = Files.createTempFile(workDir, program + "-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return new ExternalProcess(cmd, pb.start(), log);
    }

    /** Runs to completion within {@code seconds} and returns the exit code; kills it on time-out. */
    public static Result run(Path workDir, int seconds, String program, String... args)
            throws IOException, InterruptedException {
        try (ExternalProcess p = start(workDir, program, args)) {
            return p.await(seconds);
        }
    }

    /** Waits up to {@code seconds} for the process to end; kills it and returns -1 on time-out. */
    public Result await(int seconds) throws InterruptedException, IOException {
        boolean done = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        return new Result(done ? process.exitValue() : -1, output(), command);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Returns what the program printed so far. */
    public String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Stops the program: politely (SIGTERM), then by force after two seconds. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** What a finished program returned and printed; exit code -1 means it was killed on time-out. */
    public record Result(int exitCode, String output, List<String> command) {
        /** Returns a description for assertion messages: the command, the code and the output's tail. */
        public String describe() {
            String tail = output.length() > 4000 ? "..." + output.substring(output.length() - 4000) : output;
            return String.join(" ", command) + "\nexit " + exitCode + "\n" + tail;
        }
    }
}
