package io.livehub.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads what ffprobe says of a media file: its streams and every packet. */
public final class Ffprobe {

    /** One stream: its type (video, audio), codec name and, for video, dimensions. */
    public record Stream(int index, String type, String codec, int width, int height) {
    }

    /** One packet: its stream, decode time in seconds and whether it is a keyframe. */
    public record Packet(int stream, double dts, boolean keyframe) {
    }

    public final List<Stream> streams = new ArrayList<>();
    public final List<Packet> packets = new ArrayList<>();

    private Ffprobe() {
    }

    /** Runs ffprobe on {@code file} and parses its report. */
    public static Ffprobe of(Path workDir, Path file) throws IOException, InterruptedException {
        Ffprobe p = new Ffprobe();
        ExternalProcess.Result s = ExternalProcess.run(workDir, 60, "ffprobe", "-v", "error", "-show_entries",
                "stream=index,codec_type,codec_name,width,height", "-of", "csv=p=0", file.toString());
        assertEquals(0, s.exitCode(), s.describe());
        for (String line : s.output().split("\n")) {
            String[] f = line.trim().split(",");
            if (f.length >= 3 && f[0].matches("\\d+")) {
                p.streams.add(new Stream(Integer.parseInt(f[0]), f[2], f[1],
                        f.length > 3 && !f[3].isEmpty() ? Integer.parseInt(f[3]) : 0,
                        f.length > 4 && !f[4].isEmpty() ? Integer.parseInt(f[4]) : 0));
            }
        }
        ExternalProcess.Result r = ExternalProcess.run(workDir, 60, "ffprobe", "-v", "error", "-show_entries",
                "packet=stream_index,dts_time,flags", "-of", "csv=p=0", file.toString());
        assertEquals(0, r.exitCode(), r.describe());
        for (String line : r.output().split("\n")) {
            String[] f = line.trim().split(",");
            if (f.length >= 3 && f[0].matches("\\d+") && !f[1].equals("N/A")) {
                p.packets.add(new Packet(Integer.parseInt(f[0]), Double.parseDouble(f[1]), f[2].contains("K")));
            }
        }
        return p;
    }

    /** Returns the first stream of {@code type}, or null. */
    public Stream stream(String type) {
        return streams.stream().filter(s -> s.type.equals(type)).findFirst().orElse(null);
    }

    /** Returns the packets of the first stream of {@code type}. */
    public List<Packet> packets(String type) {
        Stream s = stream(type);
        List<Packet> out = new ArrayList<>();
        if (s != null) {
            for (Packet k : packets) {
                if (k.stream == s.index) {
                    out.add(k);
                }
            }
        }
        return out;
    }

    /** Returns whether each stream's decode times never go backwards. */
    public boolean timestampsIncrease() {
        for (Stream s : streams) {
            double last = Double.NEGATIVE_INFINITY;
            for (Packet k : packets) {
                if (k.stream == s.index) {
                    if (k.dts < last) {
                        return false;
                    }
                    last = k.dts;
                }
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Ffprobe" + streams + " packets=" + packets.size();
    }
}
