using System.Globalization;

namespace FeedFunctions.Storage;

/// <summary>
/// Builds OData <c>$filter</c> text safely. Keep the property on the left of each comparison: Azurite does not
/// evaluate <c>'x' eq Prop</c> (issue #1599).
/// </summary>
public static class TableFilter
{
    /// <summary>A string literal with embedded quotes doubled: <c>O'Brien</c> becomes <c>'O''Brien'</c>.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    public static string Equal(string property, string value) => Compare(property, "eq", Quote(value));

    public static string Equal(string property, bool value) => Compare(property, "eq", value ? "true" : "false");

    public static string Equal(string property, int value) => Compare(property, "eq", value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Int64 literals need the <c>L</c> suffix, or the service compares them as Int32.</summary>
    public static string Equal(string property, long value) => Compare(property, "eq", value.ToString(CultureInfo.InvariantCulture) + "L");

    /// <summary>
    /// A comparison such as <c>RowKey ge 'a'</c>; <paramref name="op"/> is one of eq, ne, gt, ge, lt, le and
    /// <paramref name="literal"/> is already formatted (use <see cref="Quote"/> for strings).
    /// </summary>
    public static string Compare(string property, string op, string literal)
    {
        ArgumentException.ThrowIfNullOrEmpty(property);
        ArgumentException.ThrowIfNullOrEmpty(literal);
        if (op is not ("eq" or "ne" or "gt" or "ge" or "lt" or "le"))
        {
            throw new ArgumentException($"'{op}' is not an OData comparison operator.", nameof(op));
        }

        return $"{property} {op} {literal}";
    }

    /// <summary>Joins conditions with <c>and</c>, parenthesised so that an <c>or</c> inside one cannot leak out.</summary>
    public static string And(params string[] conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        if (conditions.Length == 0 || conditions.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("And needs at least one non-empty condition.", nameof(conditions));
        }

        return conditions.Length == 1 ? conditions[0] : string.Join(" and ", conditions.Select(c => "(" + c + ")"));
    }
}
