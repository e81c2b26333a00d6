using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace FeedFunctions.Storage;

/// <summary>
/// The wire format of queue messages: base64-over-UTF-8 text (what the Functions queue trigger decodes by
/// default) inside the small XML envelopes the Queue service speaks.
/// </summary>
internal static class QueueMessageCodec
{
    /// <summary>
    /// The service caps the stored text at 64 KiB; base64 inflates by 4/3, so 48 KiB of UTF-8 is the most
    /// that still fits once encoded.
    /// </summary>
    public const int MaxMessageBytes = 48 * 1024;

    // 32 messages of 64 KiB text plus envelopes stay well below this; anything larger is not a queue answer.
    private const long MaxResponseCharacters = 4L * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] EncodeMessageBody(string messageText, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(messageText, parameterName);
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(messageText);
        }
        catch (EncoderFallbackException ex)
        {
            // A lone surrogate would otherwise become U+FFFD silently and the consumer would see other text.
            throw new ArgumentException("The message text is not valid UTF-16 (unpaired surrogate).", parameterName, ex);
        }

        if (utf8.Length > MaxMessageBytes)
        {
            throw new ArgumentException(
                $"The message is {utf8.Length} bytes of UTF-8; at most {MaxMessageBytes} fit in a queue message once base64-encoded.",
                parameterName);
        }

        // Base64 output is XML-safe, so no escaping is needed inside MessageText.
        return Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessage><MessageText>" +
            Convert.ToBase64String(utf8) +
            "</MessageText></QueueMessage>");
    }

    public static string? TryDecode(string body)
    {
        var buffer = new byte[(body.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(body, buffer, out var written))
        {
            return null;
        }

        try
        {
            return StrictUtf8.GetString(buffer, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    public static IReadOnlyList<XElement> ReadMessages(Stream? content)
    {
        if (content is null)
        {
            throw new InvalidDataException("The queue service returned no body where a message list was expected.");
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxResponseCharacters,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
        };
        try
        {
            using var reader = XmlReader.Create(content, settings);
            var document = XDocument.Load(reader);
            if (document.Root is not { Name.LocalName: "QueueMessagesList" } root)
            {
                throw new InvalidDataException("The queue service answer is not a QueueMessagesList.");
            }

            return root.Elements().Where(e => e.Name.LocalName == "QueueMessage").ToList();
        }
        catch (XmlException ex)
        {
            throw new InvalidDataException("The queue service answer is not well-formed XML.", ex);
        }
    }

    public static string Text(XElement message, string name) =>
        message.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value
        ?? throw new InvalidDataException($"The queue message in the answer has no {name}.");

    public static long Long(XElement message, string name) =>
        long.TryParse(Text(message, name), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"The queue message {name} is not a number.");

    public static DateTimeOffset Date(XElement message, string name) => ParseDate(Text(message, name), name);

    public static DateTimeOffset ParseDate(string text, string name) =>
        DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new InvalidDataException($"The queue {name} '{text}' is not an RFC 1123 date.");
}
