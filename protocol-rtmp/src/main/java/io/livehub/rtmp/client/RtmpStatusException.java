package io.livehub.rtmp.client;

/**
 * Tells that the server refused or ended a request with a status (RTMP spec §7.2): an
 * {@code _error} answer to a command, or an {@code onStatus} of level {@code error} such as
 * {@code NetConnection.Connect.Rejected}, {@code NetStream.Publish.BadName} (the stream is
 * already published), {@code NetStream.Publish.Denied} or {@code NetStream.Play.StreamNotFound}.
 */
public class RtmpStatusException extends RtmpClientException {

    private static final long serialVersionUID = 1L;

    private final String command;
    private final String level;
    private final String code;
    private final String description;

    /**
     * Creates an exception from the server's info object.
     *
     * @param command the command that was refused, such as {@code publish}
     * @param level the info object's {@code level}, usually {@code error}
     * @param code the info object's {@code code}, or an empty string when it had none
     * @param description the info object's {@code description}, or an empty string
     */
    public RtmpStatusException(String command, String level, String code, String description) {
        super(command + " refused: " + code + (description.isEmpty() ? "" : " (" + description + ")"));
        this.command = command;
        this.level = level;
        this.code = code;
        this.description = description;
    }

    /** Returns the command the server refused, such as {@code connect}, {@code publish} or {@code play}. */
    public String command() {
        return command;
    }

    /** Returns the status level, usually {@code error}. */
    public String level() {
        return level;
    }

    /** Returns the status code, such as {@code NetStream.Publish.BadName}; empty when the server sent none. */
    public String code() {
        return code;
    }

    /** Returns the server's description; empty when it sent none. */
    public String description() {
        return description;
    }
}
