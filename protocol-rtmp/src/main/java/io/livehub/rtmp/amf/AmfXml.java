package io.livehub.rtmp.amf;

/**
 * Holds XML text: the AMF0 XML document (AMF0 spec §2.17), the AMF3 XMLDocument (AMF3 spec §3.9)
 * or the AMF3 E4X XML type (AMF3 spec §3.13).
 *
 * @param text the XML as text, not parsed
 * @param legacyDocument true for the AMF0 XML document and the AMF3 XMLDocument, false for the
 *     AMF3 E4X XML type
 */
public record AmfXml(String text, boolean legacyDocument) {

    /** Checks that the text is present. */
    public AmfXml {
        java.util.Objects.requireNonNull(text, "text");
    }
}
