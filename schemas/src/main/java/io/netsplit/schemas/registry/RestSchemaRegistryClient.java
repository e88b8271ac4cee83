package io.netsplit.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netsplit.kit.Json;
import io.netsplit.kit.Pause;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaRegistryClient} speaking the Confluent Schema Registry REST API over {@link HttpClient}; works
 * unchanged against Confluent Schema Registry, Karapace and Apicurio Registry's {@code /apis/ccompat/v7}.
 *
 * <p>Requests carry {@code Content-Type: application/vnd.schemaregistry.v1+json}. Connection failures, timeouts
 * and 5xx answers are retried with exponential backoff up to {@link RegistryClientSettings#maxAttempts()}; 4xx
 * answers are not retried. Ids by (subject, schema) and schemas by id are cached for the life of the client, so
 * known schemas keep working while the registry is unreachable. Thread-safe.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final Logger log = LoggerFactory.getLogger(RestSchemaRegistryClient.class);

    /** The Confluent Schema Registry media type, sent as Content-Type. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    /** Longest piece of a non-JSON error body quoted in an exception message. */
    private static final int MAX_QUOTED_BODY = 500;

    private final RegistryClientSettings settings;
    private final HttpClient http;
    private final ObjectMapper json = Json.mapper();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {
    }

    /** A client for the registry at {@code baseUrl} with default retry settings. */
    public RestSchemaRegistryClient(String baseUrl) {
        this(RegistryClientSettings.of(baseUrl));
    }

    /** A client with the given settings. */
    public RestSchemaRegistryClient(RegistryClientSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** The settings this client was built with. */
    public RegistryClientSettings settings() {
        return settings;
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema cacheKey = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        int id = requireInt(answer, "id", "POST /subjects/" + subject + "/versions");
        idsBySubjectSchema.putIfAbsent(cacheKey, id);
        schemasById.putIfAbsent(id, schema);
        log.debug("registered schema {} under subject {} as id {}", schema.getFullName(), subject, id);
        return id;
    }

    @Override
    public int lookupId(String subject, Schema schema) {
        SubjectSchema cacheKey = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
        int id = requireInt(answer, "id", "POST /subjects/" + subject);
        idsBySubjectSchema.putIfAbsent(cacheKey, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema getSchemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        String path = "/schemas/ids/" + id;
        JsonNode answer = send("GET", path, null);
        JsonNode schemaText = answer.get("schema");
        if (schemaText == null || !schemaText.isTextual()) {
            throw malformedAnswer("GET " + path, "no \"schema\" string in " + quote(answer.toString()));
        }
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw new SchemaRegistryException("schema registry at " + settings.baseUrl() + " holds a " + type
                    + " schema under id " + id + ", not an Avro schema", 200, -1, null, null);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(schemaText.asText());
        } catch (SchemaParseException e) {
            throw malformedAnswer("GET " + path, "its schema does not parse as Avro: " + e.getMessage());
        }
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, Schema schema) {
        JsonNode answer;
        try {
            answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
                    schemaBody(schema));
        } catch (SchemaRegistryException e) {
            if (e.isNotFound() && (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
                    || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND)) {
                // nothing registered yet: any schema may become the first version
                return new CompatibilityResult(true, List.of(e.registryMessage() == null ? "" : e.registryMessage()));
            }
            throw e;
        }
        JsonNode verdict = answer.get("is_compatible");
        if (verdict == null || !verdict.isBoolean()) {
            throw malformedAnswer("POST /compatibility/subjects/" + subject + "/versions/latest",
                    "no boolean \"is_compatible\" in " + quote(answer.toString()));
        }
        List<String> messages = new ArrayList<>();
        for (JsonNode m : answer.path("messages")) {
            messages.add(m.isTextual() ? m.asText() : m.toString());
        }
        return new CompatibilityResult(verdict.asBoolean(), messages);
    }

    @Override
    public String getGlobalCompatibility() {
        return compatibilityLevel(send("GET", "/config", null), "GET /config");
    }

    @Override
    public String setGlobalCompatibility(String level) {
        return compatibilityLevel(send("PUT", "/config", levelBody(level)), "PUT /config");
    }

    @Override
    public Optional<String> getSubjectCompatibility(String subject) {
        try {
            return Optional.of(compatibilityLevel(send("GET", "/config/" + encode(subject), null), "GET /config/" + subject));
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public String setSubjectCompatibility(String subject, String level) {
        return compatibilityLevel(send("PUT", "/config/" + encode(subject), levelBody(level)), "PUT /config/" + subject);
    }

    @Override
    public void close() {
        idsBySubjectSchema.clear();
        schemasById.clear();
        http.close();
    }

    private String schemaBody(Schema schema) {
        ObjectNode body = json.createObjectNode();
        // schemaType is left out: AVRO is the default on every Confluent-API registry, and old ones reject the field
        body.put("schema", schema.toString());
        return body.toString();
    }

    private String levelBody(String level) {
        ObjectNode body = json.createObjectNode();
        body.put("compatibility", level);
        return body.toString();
    }

    private String compatibilityLevel(JsonNode answer, String request) {
        // Confluent answers GET with compatibilityLevel and PUT with compatibility; accept either everywhere
        for (String field : new String[] {"compatibilityLevel", "compatibility"}) {
            JsonNode level = answer.get(field);
            if (level != null && level.isTextual()) {
                return level.asText();
            }
        }
        throw malformedAnswer(request, "no compatibility level in " + quote(answer.toString()));
    }

    private int requireInt(JsonNode answer, String field, String request) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw malformedAnswer(request, "no integer \"" + field + "\" in " + quote(answer.toString()));
        }
        return value.asInt();
    }

    private SchemaRegistryException malformedAnswer(String request, String problem) {
        return new SchemaRegistryException("schema registry at " + settings.baseUrl() + " gave an unusable answer to "
                + request + ": " + problem, 200, -1, null, null);
    }

    /** Sends one request with bounded retries; returns the JSON of a 2xx answer. */
    private JsonNode send(String method, String pathAndQuery, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.baseUrl() + pathAndQuery))
                .timeout(settings.requestTimeout())
                .header("Accept", ACCEPT)
                .header("Content-Type", CONTENT_TYPE)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        String requestName = method + " " + stripQuery(pathAndQuery);
        String lastFailure = "no attempt made";
        Throwable lastCause = null;
        int lastStatus = -1;
        int lastErrorCode = -1;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            if (attempt > 1) {
                pause(settings.backoffAfter(attempt - 1), requestName);
            }
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                lastFailure = describe(e);
                lastCause = e;
                lastStatus = -1;
                lastErrorCode = -1;
                log.debug("schema registry {} attempt {}/{} of {} failed: {}", settings.baseUrl(), attempt,
                        settings.maxAttempts(), requestName, lastFailure);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while calling schema registry at " + settings.baseUrl()
                        + " (" + requestName + ")", -1, -1, null, e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return parse(response.body(), requestName);
            }
            ErrorBody error = errorBody(response.body());
            if (status >= 500) {
                lastFailure = "HTTP " + status + error.describe();
                lastCause = null;
                lastStatus = status;
                lastErrorCode = error.code();
                log.debug("schema registry {} attempt {}/{} of {} answered {}", settings.baseUrl(), attempt,
                        settings.maxAttempts(), requestName, lastFailure);
                continue;
            }
            throw new SchemaRegistryException("schema registry at " + settings.baseUrl() + " rejected " + requestName
                    + ": HTTP " + status + error.describe(), status, error.code(), error.message(), null);
        }
        throw new SchemaRegistryUnreachableException("schema registry at " + settings.baseUrl() + " unreachable after "
                + settings.maxAttempts() + (settings.maxAttempts() == 1 ? " attempt: " : " attempts: ") + lastFailure,
                settings.maxAttempts(), lastStatus, lastErrorCode, lastCause);
    }

    private JsonNode parse(String body, String requestName) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw malformedAnswer(requestName, "expected a JSON object, got " + quote(body));
            }
            return node;
        } catch (JsonProcessingException e) {
            throw malformedAnswer(requestName, "not JSON: " + quote(body));
        }
    }

    /** The registry's error body: {@code {"error_code": 40403, "message": "Schema 7 not found"}} when it sent one. */
    private record ErrorBody(int code, String message) {
        String describe() {
            StringBuilder s = new StringBuilder();
            if (code >= 0) {
                s.append(" (error_code ").append(code).append(')');
            }
            if (message != null && !message.isEmpty()) {
                s.append(": ").append(message);
            }
            return s.toString();
        }
    }

    private ErrorBody errorBody(String body) {
        if (body == null || body.isBlank()) {
            return new ErrorBody(-1, null);
        }
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.isObject() && (node.has("error_code") || node.has("message"))) {
                JsonNode code = node.get("error_code");
                JsonNode message = node.get("message");
                return new ErrorBody(code != null && code.canConvertToInt() ? code.asInt() : -1,
                        message == null || message.isNull() ? null : message.asText());
            }
        } catch (JsonProcessingException e) {
            // not JSON: quote the body as it is
        }
        return new ErrorBody(-1, quote(body));
    }

    private static String quote(String body) {
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_QUOTED_BODY ? oneLine : oneLine.substring(0, MAX_QUOTED_BODY) + "...";
    }

    private static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return e.getClass().getName() + ": " + t.getMessage();
            }
        }
        // the JDK client's ConnectException carries no message: say what it means
        return e.getClass().getName() + (e instanceof java.net.ConnectException ? ": could not connect" : "");
    }

    private static String stripQuery(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    private void pause(java.time.Duration backoff, String requestName) {
        if (!Pause.sleep(backoff)) {
            throw new SchemaRegistryException("interrupted while retrying schema registry at " + settings.baseUrl()
                    + " (" + requestName + ")", -1, -1, null, new InterruptedException());
        }
    }

    /** Encodes one path segment (subjects may hold characters that are not URL-safe). */
    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
