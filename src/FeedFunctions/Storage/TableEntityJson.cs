using System.Globalization;
using System.Text.Json;

namespace FeedFunctions.Storage;

/// <summary>
/// The OData JSON form of an entity. Types JSON cannot carry on its own (Int64, whole-number doubles, DateTime, Guid,
/// Binary) go with an <c>@odata.type</c> annotation on write and are restored from it on read.
/// </summary>
internal static class TableEntityJson
{
    private const string TypeSuffix = "@odata.type";
    private const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static byte[] Serialize(TableEntity entity)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();

            // Always written, even for deletes and merges: Azurite rejects a bare {} sub-request body (issue #1883).
            writer.WriteString("PartitionKey", entity.PartitionKey);
            writer.WriteString("RowKey", entity.RowKey);
            foreach (var (name, value) in entity)
            {
                WriteProperty(writer, name, value);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static TableEntity Deserialize(JsonElement json)
    {
        var entity = new TableEntity();
        foreach (var property in json.EnumerateObject())
        {
            var name = property.Name;
            switch (name)
            {
                case "PartitionKey":
                    entity.PartitionKey = property.Value.GetString() ?? string.Empty;
                    break;
                case "RowKey":
                    entity.RowKey = property.Value.GetString() ?? string.Empty;
                    break;
                case "Timestamp":
                    entity.Timestamp = ParseDateTime(property.Value.GetString());
                    break;
                case "odata.etag":
                    entity.ETag = property.Value.GetString();
                    break;
                default:
                    if (!TableEntity.IsReserved(name) && property.Value.ValueKind != JsonValueKind.Null)
                    {
                        var type = json.TryGetProperty(name + TypeSuffix, out var annotation) ? annotation.GetString() : null;
                        entity[name] = ReadValue(property.Value, type);
                    }

                    break;
            }
        }

        return entity;
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object value)
    {
        switch (value)
        {
            case string s:
                writer.WriteString(name, s);
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case int i:
                writer.WriteNumber(name, i);
                break;
            case long l:
                // As a string: JSON readers that use doubles would lose precision above 2^53.
                Annotate(writer, name, "Edm.Int64");
                writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                // Annotated so that 2.0 (written as 2) is not read back as an Int32.
                Annotate(writer, name, "Edm.Double");
                if (double.IsFinite(d))
                {
                    writer.WriteNumber(name, d);
                }
                else
                {
                    writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                }

                break;
            case DateTimeOffset t:
                Annotate(writer, name, "Edm.DateTime");
                writer.WriteString(name, t.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture));
                break;
            case Guid g:
                Annotate(writer, name, "Edm.Guid");
                writer.WriteString(name, g.ToString("D"));
                break;
            case byte[] bytes:
                Annotate(writer, name, "Edm.Binary");
                writer.WriteBase64String(name, bytes);
                break;
            default:
                throw new InvalidOperationException($"Property '{name}' has unsupported type {value.GetType().Name}.");
        }
    }

    private static void Annotate(Utf8JsonWriter writer, string name, string edmType) => writer.WriteString(name + TypeSuffix, edmType);

    private static object ReadValue(JsonElement value, string? edmType) => edmType switch
    {
        "Edm.Int64" => value.ValueKind == JsonValueKind.String
            ? long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : value.GetInt64(),
        "Edm.Double" => value.ValueKind == JsonValueKind.String
            ? double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
            : value.GetDouble(),
        "Edm.Int32" => value.GetInt32(),
        "Edm.Boolean" => value.GetBoolean(),
        "Edm.DateTime" => ParseDateTime(value.GetString())!.Value,
        "Edm.Guid" => Guid.Parse(value.GetString()!),
        "Edm.Binary" => value.GetBytesFromBase64(),
        "Edm.String" => value.GetString()!,
        null => ReadUntyped(value),
        _ => throw new FormatException($"Unknown Table property type '{edmType}'."),
    };

    // Without an annotation the service means: string, boolean, Int32 (no decimal point) or Double.
    private static object ReadUntyped(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.GetRawText().AsSpan().IndexOfAny(".eE") < 0 && value.TryGetInt32(out var i) => i,
        JsonValueKind.Number => value.GetDouble(),
        _ => throw new FormatException($"Unexpected JSON {value.ValueKind} as a Table property value."),
    };

    private static DateTimeOffset? ParseDateTime(string? text) =>
        text is null
            ? null
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
