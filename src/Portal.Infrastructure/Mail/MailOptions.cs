namespace Portal.Infrastructure.Mail;

/// <summary>
/// The "Mail" section (see appsettings.sample.json): SMTP server when <see cref="Host"/> is set, else a
/// pickup folder of .eml files, so that `dotnet run` needs no mail server.
/// </summary>
public sealed class MailOptions
{
    /// <summary>SMTP server; empty: no SMTP, messages are written to <see cref="PickupDirectory"/>.</summary>
    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    /// <summary>MailKit's SecureSocketOptions: None, Auto, SslOnConnect, StartTls, StartTlsWhenAvailable.</summary>
    public string Security { get; set; } = "StartTls";

    /// <summary>SMTP login; empty: no authentication.</summary>
    public string UserName { get; set; } = "";

    public string Password { get; set; } = "";

    public string FromAddress { get; set; } = "ne-pas-repondre@portail-formation.fr";

    public string FromName { get; set; } = "Portail de prescription – Région";

    /// <summary>Folder of .eml files when no SMTP host is set; empty: {DataDirectory}/mail. Relative to the content root.</summary>
    public string PickupDirectory { get; set; } = "";

    /// <summary>The portal's public address, for the links in messages.</summary>
    public string PortalUrl { get; set; } = "http://localhost:5080";
}
