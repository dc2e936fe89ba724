using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Portal.Application.Abstractions;

namespace Portal.Infrastructure.Mail;

/// <summary>The MIME message of an <see cref="OutgoingMail"/>: plain text, UTF-8, dated by the portal's clock.</summary>
internal static class MailMessages
{
    public static MimeMessage Build(OutgoingMail mail, MailOptions options, TimeProvider clock)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
        message.To.Add(new MailboxAddress(mail.ToName, mail.ToAddress));
        message.Subject = mail.Subject;
        message.Date = clock.GetUtcNow();
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var text = new TextPart("plain") { Text = mail.Body };
        text.Headers.Add(HeaderId.ContentLanguage, "fr");
        message.Body = text;
        return message;
    }
}

/// <summary>Sends through an SMTP server with MailKit (one connection per message: the volume is low).</summary>
public sealed class SmtpMailSender(MailOptions options, TimeProvider clock) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var message = MailMessages.Build(mail, options, clock);
        var security = Enum.TryParse<SecureSocketOptions>(options.Security, ignoreCase: true, out var s) ? s : SecureSocketOptions.StartTls;
        using var client = new SmtpClient();
        await client.ConnectAsync(options.Host, options.Port, security, cancellationToken);
        if (options.UserName is { Length: > 0 })
            await client.AuthenticateAsync(options.UserName, options.Password, cancellationToken);
        try
        {
            await client.SendAsync(message, cancellationToken);
        }
        catch (SmtpCommandException ex) when (ex.ErrorCode is SmtpErrorCode.RecipientNotAccepted && ex.StatusCode != SmtpStatusCode.MailboxBusy)
        {
            throw new MailRejectedException($"Adresse refusée par le serveur : {mail.ToAddress}", ex);
        }
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

/// <summary>Writes each message as an .eml file in a folder (the default without an SMTP host: nothing to install).</summary>
public sealed class PickupFolderMailSender(string directory, MailOptions options, TimeProvider clock) : IMailSender
{
    public string Directory { get; } = directory;

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var message = MailMessages.Build(mail, options, clock);
        var name = $"{clock.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.eml";
        var temporary = Path.Combine(Directory, name + ".tmp");
        await message.WriteToAsync(temporary, cancellationToken);
        // Whole files only: a reader of the folder never sees a half-written message.
        File.Move(temporary, Path.Combine(Directory, name));
    }
}
