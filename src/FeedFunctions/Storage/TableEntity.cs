using System.Collections;

namespace FeedFunctions.Storage;

/// <summary>
/// A table row: the two keys, the server's ETag and Timestamp, and case-sensitive custom properties. Values are
/// limited to the types the Table service round-trips: string, bool, int, long, double, DateTimeOffset, Guid, byte[].
/// Setting a property to null removes it, because the service does not store nulls either.
/// </summary>
public sealed class TableEntity : IEnumerable<KeyValuePair<string, object>>
{
    private readonly Dictionary<string, object> _properties = new(StringComparer.Ordinal);

    public TableEntity()
        : this(string.Empty, string.Empty)
    {
    }

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey ?? throw new ArgumentNullException(nameof(partitionKey));
        RowKey = rowKey ?? throw new ArgumentNullException(nameof(rowKey));
    }

    public string PartitionKey { get; set; }

    public string RowKey { get; set; }

    /// <summary>Opaque; send it back byte-for-byte as If-Match. Null until the entity was written or read.</summary>
    public string? ETag { get; set; }

    /// <summary>Set by the service on every write; never sent.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    public int Count => _properties.Count;

    public IEnumerable<string> Keys => _properties.Keys;

    /// <summary>The custom property's value, or null when it is absent.</summary>
    public object? this[string name]
    {
        get => _properties.GetValueOrDefault(ValidateName(name));
        set
        {
            ValidateName(name);
            if (value is null)
            {
                _properties.Remove(name);
            }
            else
            {
                _properties[name] = ValidateValue(name, value);
            }
        }
    }

    /// <summary>Lets collection initializers list properties; fails on a duplicate name like a dictionary would.</summary>
    public void Add(string name, object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _properties.Add(ValidateName(name), ValidateValue(name, value));
    }

    public bool ContainsKey(string name) => _properties.ContainsKey(name);

    public bool Remove(string name) => _properties.Remove(name);

    public string? GetString(string name) => Get<string>(name);

    public bool? GetBoolean(string name) => GetStruct<bool>(name);

    public int? GetInt32(string name) => GetStruct<int>(name);

    public long? GetInt64(string name) => this[name] switch
    {
        null => null,
        int i => i,
        _ => GetStruct<long>(name),
    };

    public double? GetDouble(string name) => this[name] switch
    {
        null => null,
        int i => i,
        long l => l,
        _ => GetStruct<double>(name),
    };

    public DateTimeOffset? GetDateTimeOffset(string name) => GetStruct<DateTimeOffset>(name);

    public Guid? GetGuid(string name) => GetStruct<Guid>(name);

    public byte[]? GetBinary(string name) => Get<byte[]>(name);

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"({PartitionKey}, {RowKey}) with {Count} properties";

    internal static bool IsReserved(string name) =>
        name is "PartitionKey" or "RowKey" or "Timestamp" || name.StartsWith("odata.", StringComparison.Ordinal) || name.Contains('@');

    private T? Get<T>(string name)
        where T : class => this[name] switch
        {
            null => null,
            T value => value,
            var other => throw WrongType(name, other, typeof(T)),
        };

    private T? GetStruct<T>(string name)
        where T : struct => this[name] switch
        {
            null => null,
            T value => value,
            var other => throw WrongType(name, other, typeof(T)),
        };

    private static InvalidOperationException WrongType(string name, object value, Type wanted) =>
        new($"Property '{name}' holds a {value.GetType().Name}, not a {wanted.Name}.");

    private static string ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (IsReserved(name))
        {
            // System properties travel outside the property bag; letting them in would send them twice.
            throw new ArgumentException($"'{name}' is a system property name; use the entity's properties instead.", nameof(name));
        }

        return name;
    }

    private static object ValidateValue(string name, object value) => value switch
    {
        string or bool or int or long or double or DateTimeOffset or Guid or byte[] => value,
        DateTime => throw new ArgumentException(
            $"Property '{name}': use DateTimeOffset, a DateTime's Kind makes the stored instant ambiguous.", nameof(value)),
        _ => throw new ArgumentException(
            $"Property '{name}': {value.GetType().Name} is not a Table type (string, bool, int, long, double, DateTimeOffset, Guid, byte[]).",
            nameof(value)),
    };
}
