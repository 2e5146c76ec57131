package io.livehub.examples.full;

import io.livehub.push.ForwardRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The full example server's forward option: every published stream is pushed to each
 * destination, as SRS's {@code forward} does, its name appended to an RTMP URL or used as the
 * stream id of an SRT one. Push tasks are also managed at run time through the push HTTP API
 * ({@code POST /v1/vhosts/default/apps/{app}:startPush}, {@code :stopPush}, {@code :pushes}).
 *
 * @param destinations {@code --forward=URL,...}, {@code LIVEHUB_FORWARD}: {@code rtmp://},
 *                     {@code rtmps://} or {@code srt://} URLs; default none
 */
public record ForwardOptions(List<ForwardRule.Destination> destinations) {

    public ForwardOptions {
        destinations = List.copyOf(destinations);
    }

    static boolean isFlag(String name) {
        return name.equals("forward");
    }

    static final String USAGE = String.join("\n",
            "  Push (restream; HTTP API :startPush, :stopPush, :pushes under /v1/vhosts/default/apps/{app}):",
            "  --forward=URL,...  push every stream to these rtmp://, rtmps:// or srt:// destinations, the",
            "                     stream's name appended (RTMP) or as its streamid (SRT) (env LIVEHUB_FORWARD)");

    /**
     * Reads the option from {@code flags} over {@code env}.
     *
     * @throws IllegalArgumentException with a message for the user when a value is wrong
     */
    static ForwardOptions parse(Map<String, String> flags, Map<String, String> env) {
        String list = flags.getOrDefault("forward", env.getOrDefault("LIVEHUB_FORWARD", ""));
        List<ForwardRule.Destination> out = new ArrayList<>();
        for (String item : list.split(",")) {
            String url = item.trim();
            if (url.isEmpty()) {
                continue;
            }
            String lower = url.toLowerCase(Locale.ROOT);
            if (lower.startsWith("rtmp://") || lower.startsWith("rtmps://")) {
                out.add(ForwardRule.rtmp(url));
            } else if (lower.startsWith("srt://")) {
                out.add(ForwardRule.srt(url));
            } else {
                throw new IllegalArgumentException("LIVEHUB_FORWARD takes rtmp://, rtmps:// or srt:// URLs, not '"
                        + url + "'");
            }
        }
        return new ForwardOptions(out);
    }

    /** Returns the rule forwarding every stream of the default vhost, or null when there is no destination. */
    ForwardRule rule() {
        return destinations.isEmpty() ? null
                : new ForwardRule(null, ForwardRule.EVERY_APP, destinations);
    }
}
