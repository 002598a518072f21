package org.sae4j.sae;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One JSON configuration object with typed accessors whose errors name the file and the key. Keys are looked up
 * exactly; unknown keys are never an error (configuration files carry training-only fields).
 */
final class ConfigJson {

    /** Configuration files are a few kilobytes; anything far larger is not a configuration. */
    private static final long MAX_BYTES = 16L << 20;

    /** Strict parser: duplicate keys and trailing tokens are errors. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The file, for messages. */
    private final String source;
    /** Prefix of key names in messages ({@code "metadata."} for a nested object), empty at the top. */
    private final String keyPrefix;
    /** The object whose keys are read. */
    private final JsonNode root;

    /**
     * An object of a parsed file.
     *
     * @param source    the file
     * @param keyPrefix prefix of key names in messages
     * @param root      the object
     */
    private ConfigJson(String source, String keyPrefix, JsonNode root) {
        this.source = source;
        this.keyPrefix = keyPrefix;
        this.root = root;
    }

    /**
     * Parses {@code file}, which must hold one JSON object of at most 16 MiB.
     *
     * @param file a configuration file
     * @return its top-level object
     * @throws SaeFormatException if the file is missing, too large, not valid JSON or not an object
     * @throws IOException        if the file cannot be read
     */
    static ConfigJson read(Path file) throws IOException {
        String source = file.toString();
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new SaeFormatException(source + ": file is missing", e);
        }
        if (size > MAX_BYTES) {
            throw new SaeFormatException(source + ": " + size + " bytes is too large for a configuration file");
        }
        JsonNode root;
        try {
            root = JSON.readTree(utf8(source, Files.readAllBytes(file)));
        } catch (JacksonException e) {
            throw new SaeFormatException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SaeFormatException(source + ": not a JSON object");
        }
        return new ConfigJson(source, "", root);
    }

    /**
     * The file's text. JSON files are UTF-8 (RFC 8259 §8.1), which is all Python's json module writes; decoding them
     * here, strictly, stops Jackson from guessing UTF-16 or UTF-32 from zero bytes, whose decoding errors it throws as
     * plain {@link IOException}s rather than parse errors. A leading byte order mark is dropped, as Jackson does.
     *
     * @param source the file, for messages
     * @param bytes  the whole file
     * @return the decoded text, without a leading byte order mark
     * @throws SaeFormatException if the bytes are not well-formed UTF-8; the message gives the byte offset in the file
     *                            at which decoding stopped
     */
    private static String utf8(String source, byte[] bytes) throws SaeFormatException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never decodes to more chars than it has bytes
        CharBuffer out = CharBuffer.allocate(bytes.length);
        if (decoder.decode(in, out, true).isError() || decoder.flush(out).isError()) {
            throw new SaeFormatException(source + ": not UTF-8 text: invalid byte sequence at byte "
                    + in.position());
        }
        String text = out.flip().toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /**
     * The file, for messages.
     *
     * @return the path
     */
    String source() {
        return source;
    }

    /**
     * The nested object under {@code key}, or an empty one when the key is absent or null; its errors name keys as
     * {@code outer.inner}.
     *
     * @param key a key of this object
     * @return the nested object
     * @throws SaeFormatException if the value is not an object
     */
    ConfigJson object(String key) throws SaeFormatException {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return new ConfigJson(source, keyPrefix + key + ".", JSON.createObjectNode());
        }
        if (!node.isObject()) {
            throw fail(key, "is not a JSON object");
        }
        return new ConfigJson(source, keyPrefix + key + ".", node);
    }

    /**
     * Whether {@code key} is present with a non-null value.
     *
     * @param key a key
     * @return true if present and not null
     */
    boolean has(String key) {
        JsonNode node = root.get(key);
        return node != null && !node.isNull();
    }

    /**
     * The raw value; {@code null} when absent.
     *
     * @param key a key
     * @return the value, possibly a JSON null
     */
    JsonNode node(String key) {
        return root.get(key);
    }

    /**
     * A required integer that is at least {@code min}; an integral floating-point value ({@code 768.0}) is accepted.
     *
     * @param key a key
     * @param min smallest accepted value
     * @return the value
     * @throws SaeFormatException if it is missing, not an integer or below {@code min}
     */
    int requireInt(String key, int min) throws SaeFormatException {
        if (!has(key)) {
            throw fail(key, "is missing");
        }
        return intValue(key, min);
    }

    /**
     * An optional integer, {@code fallback} when absent or null.
     *
     * @param key      a key
     * @param fallback the value when absent
     * @param min      smallest accepted value when present
     * @return the value or the fallback
     * @throws SaeFormatException if present but not an integer or below {@code min}
     */
    int optInt(String key, int fallback, int min) throws SaeFormatException {
        return has(key) ? intValue(key, min) : fallback;
    }

    /**
     * A required finite number.
     *
     * @param key a key
     * @return the value
     * @throws SaeFormatException if it is missing, not a number or not finite
     */
    double requireDouble(String key) throws SaeFormatException {
        if (!has(key)) {
            throw fail(key, "is missing");
        }
        JsonNode node = root.get(key);
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
            throw fail(key, "must be a finite number, got " + node);
        }
        return node.doubleValue();
    }

    /**
     * An optional boolean, {@code fallback} when absent or null.
     *
     * @param key      a key
     * @param fallback the value when absent
     * @return the value or the fallback
     * @throws SaeFormatException if present but not a boolean
     */
    boolean optBoolean(String key, boolean fallback) throws SaeFormatException {
        if (!has(key)) {
            return fallback;
        }
        JsonNode node = root.get(key);
        if (!node.isBoolean()) {
            throw fail(key, "must be true or false, got " + node);
        }
        return node.booleanValue();
    }

    /**
     * An optional string, {@code fallback} when absent or null.
     *
     * @param key      a key
     * @param fallback the value when absent
     * @return the value or the fallback
     * @throws SaeFormatException if present but not a string
     */
    String optString(String key, String fallback) throws SaeFormatException {
        if (!has(key)) {
            return fallback;
        }
        JsonNode node = root.get(key);
        if (!node.isTextual()) {
            throw fail(key, "must be a string, got " + node);
        }
        return node.textValue();
    }

    /**
     * An exception naming the file, the (prefixed) key and the problem.
     *
     * @param key     the key at fault
     * @param problem what is wrong
     * @return the exception, for the caller to throw
     */
    SaeFormatException fail(String key, String problem) {
        return new SaeFormatException(source + ": key '" + keyPrefix + key + "' " + problem);
    }

    /**
     * The value of a present key as an int of at least {@code min}.
     *
     * @param key a present key
     * @param min smallest accepted value
     * @return the value
     * @throws SaeFormatException if it is not an integer or below {@code min}
     */
    private int intValue(String key, int min) throws SaeFormatException {
        JsonNode node = root.get(key);
        double approx = node.doubleValue();
        boolean valid = node.isIntegralNumber() ? node.canConvertToInt()
                : node.isFloatingPointNumber() && approx == Math.rint(approx) && Math.abs(approx) <= Integer.MAX_VALUE;
        if (!valid) {
            throw fail(key, "must be an integer, got " + node);
        }
        int value = node.isIntegralNumber() ? node.intValue() : (int) approx;
        if (value < min) {
            throw fail(key, "must be >= " + min + ", got " + value);
        }
        return value;
    }
}
