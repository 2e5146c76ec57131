package io.livehub.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's nginx with libnginx-mod-rtmp on a loopback port, with its own configuration
 * in a temporary directory (one process: no daemon, no master), and an application
 * {@code live} that relays what is published to it, as in benchmarks/scripts/fanout-vs-nginx.sh.
 */
public final class NginxRtmp implements AutoCloseable {

    public static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");

    public final int port;
    private final ExternalProcess process;

    private NginxRtmp(int port, ExternalProcess process) {
        this.port = port;
        this.process = process;
    }

    /** Starts nginx, or skips (locally) / fails (CI) the test when nginx or its RTMP module is missing. */
    public static NginxRtmp start(Path dir) throws Exception {
        Interop.require("nginx");
        if (!Files.isRegularFile(MODULE)) {
            Interop.require("libnginx-mod-rtmp (" + MODULE + ")");
        }
        Path home = Files.createDirectories(dir.resolve("nginx"));
        int port = freePort();
        Files.writeString(home.resolve("nginx.conf"), """
                load_module %s;
                daemon off;
                master_process off;
                worker_processes 1;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                events {
                    worker_connections 256;
                }
                rtmp {
                    server {
                        listen 127.0.0.1:%d;
                        chunk_size 4096;
                        application live {
                            live on;
                        }
                    }
                }
                """.formatted(MODULE, home, home, port));
        ExternalProcess p = ExternalProcess.start(home, "nginx", "-e", home.resolve("error.log").toString(),
                "-c", home.resolve("nginx.conf").toString(), "-p", home + "/");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new NginxRtmp(port, p);
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    String log = p.output() + "\n" + (Files.exists(home.resolve("error.log"))
                            ? Files.readString(home.resolve("error.log")) : "");
                    p.close();
                    throw new AssertionError("nginx did not listen on " + port + ":\n" + log);
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() {
        try {
            process.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
