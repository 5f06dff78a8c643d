package io.meridian.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * docs/openapi.yaml as the tests read it (parsed by swagger-parser, {@code $ref}s left in place and followed here), and
 * a strict check of a real answer against it: the status must be declared for the operation, the content type must
 * be one the response declares, and the JSON body must match the schema with no undeclared field anywhere. An
 * object schema admits only the properties it (and its {@code allOf} parts) declares, unless it says
 * {@code additionalProperties} (true, or a schema the extra values must match): so a field the node sends that the
 * document lacks fails the check, which a plain JSON Schema run would let through.
 */
// swagger-parser's model hands out raw Schema (Map<String, Schema>, List<Schema>): its API, not a choice here.
@SuppressWarnings({"rawtypes", "unchecked"})
final class OpenApiContract {
    static final Path DOCUMENT = Path.of("../docs/openapi.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAPI api;

    private OpenApiContract(OpenAPI api) {
        this.api = api;
    }

    /** The parse of docs/openapi.yaml: the model and every message the parser reported (errors and warnings). */
    static SwaggerParseResult parse(boolean resolve) {
        ParseOptions options = new ParseOptions();
        options.setResolve(resolve);
        try {
            return new OpenAPIV3Parser().readContents(Files.readString(DOCUMENT), null, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document, which must parse without a message. */
    static OpenApiContract load() {
        SwaggerParseResult result = parse(true);
        if (result.getOpenAPI() == null || result.getMessages() != null && !result.getMessages().isEmpty()) {
            throw new IllegalStateException("docs/openapi.yaml: " + result.getMessages());
        }
        return new OpenApiContract(result.getOpenAPI());
    }

    OpenAPI api() {
        return api;
    }

    /** The operation of {@code method} on the path {@code path} (as written in the route table), or null. */
    Operation operation(String method, String path) {
        PathItem item = api.getPaths().get(path);
        if (item == null) {
            return null;
        }
        return item.readOperationsMap().get(PathItem.HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)));
    }

    /** The response for {@code status} after following {@code $ref}, or null when the operation does not declare it. */
    ApiResponse response(Operation operation, int status) {
        ApiResponse response = operation.getResponses().get(String.valueOf(status));
        if (response != null && response.get$ref() != null) {
            response = api.getComponents().getResponses().get(refName(response.get$ref()));
        }
        return response;
    }

    /** {@code parameter} after following {@code $ref}. */
    Parameter parameter(Parameter parameter) {
        return parameter.get$ref() == null ? parameter
                : api.getComponents().getParameters().get(refName(parameter.get$ref()));
    }

    /** The problems of {@code answer} to a request of {@code route} ("METHOD /path"); empty when it conforms. */
    List<String> check(String route, HttpResponse<String> answer) {
        List<String> problems = new ArrayList<>();
        String[] split = route.split(" ", 2);
        Operation operation = operation(split[0], split[1]);
        if (operation == null) {
            problems.add(route + ": not in the document");
            return problems;
        }
        ApiResponse response = response(operation, answer.statusCode());
        if (response == null) {
            problems.add(route + ": status " + answer.statusCode() + " not declared (" + operation.getResponses()
                    .keySet() + "): " + answer.body());
            return problems;
        }
        for (String header : answer.headers().map().keySet()) {
            if (header.toLowerCase(Locale.ROOT).startsWith("x-meridian-") && (response.getHeaders() == null
                    || response.getHeaders().keySet().stream().noneMatch(h -> h.equalsIgnoreCase(header)))) {
                problems.add(route + " " + answer.statusCode() + ": header " + header + " not declared");
            }
        }
        String type = answer.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        MediaType media = response.getContent() == null ? null : response.getContent().get(type);
        if (media == null) {
            problems.add(route + " " + answer.statusCode() + ": content type '" + type + "' not declared");
            return problems;
        }
        if (!type.equals("application/json")) {
            return problems;
        }
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (IOException e) {
            problems.add(route + " " + answer.statusCode() + ": not JSON: " + answer.body());
            return problems;
        }
        List<String> found = new ArrayList<>();
        check(media.getSchema(), body, "", found);
        for (String problem : found) {
            problems.add(route + " " + answer.statusCode() + " " + problem);
        }
        return problems;
    }

    /** The problems of a JSON request body the node accepted, against the operation's request schema. */
    List<String> checkRequest(String route, String body) {
        List<String> problems = new ArrayList<>();
        String[] split = route.split(" ", 2);
        Operation operation = operation(split[0], split[1]);
        MediaType media = operation == null || operation.getRequestBody() == null
                || operation.getRequestBody().getContent() == null ? null
                : operation.getRequestBody().getContent().get("application/json");
        if (media == null || media.getSchema() == null) {
            problems.add(route + ": the node took a JSON body the document does not declare: " + body);
            return problems;
        }
        List<String> found = new ArrayList<>();
        try {
            check(media.getSchema(), JSON.readTree(body), "", found);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String problem : found) {
            problems.add(route + " request " + problem);
        }
        return problems;
    }

    /** Adds to {@code problems} every way {@code value} (at JSON pointer {@code at}) fails {@code schema}. */
    void check(Schema<?> schema, JsonNode value, String at, List<String> problems) {
        schema = resolve(schema);
        if (value.isNull()) {
            if (!Boolean.TRUE.equals(schema.getNullable())) {
                problems.add(at + ": null, but not nullable");
            }
            return;
        }
        if (schema.getAllOf() != null && schema.getAllOf().size() == 1 && schema.getType() == null
                && schema.getProperties() == null) {
            // One part under a description of its own (a $ref beside a description): that part's rules.
            check(schema.getAllOf().get(0), value, at, problems);
            return;
        }
        if (schema.getOneOf() != null || schema.getAnyOf() != null) {
            List<Schema> options = schema.getOneOf() != null ? schema.getOneOf() : schema.getAnyOf();
            int matches = 0;
            List<String> why = new ArrayList<>();
            for (Schema<?> option : options) {
                List<String> own = new ArrayList<>();
                check(option, value, at, own);
                matches += own.isEmpty() ? 1 : 0;
                why.addAll(own);
            }
            if (matches == 0 || schema.getOneOf() != null && matches > 1) {
                problems.add(at + ": matches " + matches + " of " + options.size() + " options " + why);
            }
            return;
        }
        String type = type(schema);
        if (type == null) {
            problems.add(at + ": the schema has no type (" + value + ")");
            return;
        }
        switch (type) {
            case "object" -> object(schema, value, at, problems);
            case "array" -> array(schema, value, at, problems);
            case "string" -> {
                if (!value.isTextual()) {
                    problems.add(at + ": not a string: " + value);
                } else if (schema.getPattern() != null && !Pattern.compile(schema.getPattern()).matcher(value.asText())
                        .find()) {
                    problems.add(at + ": '" + value.asText() + "' does not match " + schema.getPattern());
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    problems.add(at + ": not an integer: " + value);
                } else if (!"int64".equals(schema.getFormat()) && !value.canConvertToInt()) {
                    problems.add(at + ": not an int32 (declare format int64): " + value);
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    problems.add(at + ": not a number: " + value);
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    problems.add(at + ": not a boolean: " + value);
                }
            }
            default -> problems.add(at + ": unknown type " + type);
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty() && value.isValueNode()) {
            Set<String> allowed = new LinkedHashSet<>();
            for (Object e : schema.getEnum()) {
                allowed.add(e instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : String.valueOf(e));
            }
            if (!allowed.contains(value.asText())) {
                problems.add(at + ": '" + value.asText() + "' not in " + allowed);
            }
        }
    }

    private void object(Schema<?> schema, JsonNode value, String at, List<String> problems) {
        if (!value.isObject()) {
            problems.add(at + ": not an object: " + value);
            return;
        }
        Map<String, Schema> properties = new LinkedHashMap<>();
        Set<String> required = new LinkedHashSet<>();
        Object[] additional = {null};
        collect(schema, properties, required, additional);
        for (String name : required) {
            if (!value.has(name)) {
                problems.add(at + ": required field '" + name + "' is missing");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Schema<?> declared = properties.get(field.getKey());
            if (declared != null) {
                check(declared, field.getValue(), at + "/" + field.getKey(), problems);
            } else if (additional[0] instanceof Schema<?> extra) {
                check(extra, field.getValue(), at + "/" + field.getKey(), problems);
            } else if (!Boolean.TRUE.equals(additional[0])) {
                problems.add(at + ": field '" + field.getKey() + "' is not in the schema (" + properties.keySet()
                        + ")");
            }
        }
    }

    /** The properties, required names and additionalProperties of {@code schema} and its {@code allOf} parts. */
    private void collect(Schema<?> schema, Map<String, Schema> properties, Set<String> required, Object[] additional) {
        schema = resolve(schema);
        if (schema.getProperties() != null) {
            properties.putAll(schema.getProperties());
        }
        if (schema.getRequired() != null) {
            required.addAll(schema.getRequired());
        }
        if (schema.getAdditionalProperties() != null && !Boolean.FALSE.equals(schema.getAdditionalProperties())) {
            additional[0] = schema.getAdditionalProperties();
        }
        if (schema.getAllOf() != null) {
            for (Schema<?> part : schema.getAllOf()) {
                collect(part, properties, required, additional);
            }
        }
    }

    private void array(Schema<?> schema, JsonNode value, String at, List<String> problems) {
        if (!value.isArray()) {
            problems.add(at + ": not an array: " + value);
            return;
        }
        if (schema.getMinItems() != null && value.size() < schema.getMinItems()
                || schema.getMaxItems() != null && value.size() > schema.getMaxItems()) {
            problems.add(at + ": " + value.size() + " items, outside [" + schema.getMinItems() + ", "
                    + schema.getMaxItems() + "]");
        }
        if (schema.getItems() == null) {
            problems.add(at + ": an array schema without items");
            return;
        }
        for (int i = 0; i < value.size(); i++) {
            check(schema.getItems(), value.get(i), at + "/" + i, problems);
        }
    }

    /** The schema's type: declared, else object for one made of {@code allOf} parts. */
    static String type(Schema<?> schema) {
        if (schema.getType() != null) {
            return schema.getType();
        }
        return schema.getAllOf() != null ? "object" : null;
    }

    /** {@code schema} after following {@code $ref} (to a component schema). */
    Schema<?> resolve(Schema<?> schema) {
        while (schema.get$ref() != null) {
            Schema<?> target = api.getComponents().getSchemas().get(refName(schema.get$ref()));
            if (target == null) {
                throw new IllegalStateException("unresolved " + schema.get$ref());
            }
            schema = target;
        }
        return schema;
    }

    private static String refName(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}
