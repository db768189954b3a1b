/**
 * The e-mail that carries a portal invitation: German and English, only the link and whom it is
 * for (the customer's name); no other personal data. `agency` names the sender (the mail's From).
 */
export function invitationMessage(link: { url: string; expiresAt: string }, customer: { name: string }): { subject: string; text: string } {
  const until = link.expiresAt.slice(0, 10);
  return {
    subject: `Einladung zum Kundenportal / Invitation to the customer portal — ${customer.name}`,
    text: [
      'Guten Tag,',
      '',
      `Sie wurden eingeladen, das Kundenportal für ${customer.name} zu nutzen. Über den folgenden Link`,
      `legen Sie Ihr Passwort fest; er ist einmal verwendbar und gilt bis ${until}:`,
      '',
      link.url,
      '',
      'Wenn Sie diese Einladung nicht erwartet haben, ignorieren Sie diese Nachricht.',
      '',
      '---',
      '',
      'Hello,',
      '',
      `you have been invited to the customer portal of ${customer.name}. Use the link below to set your`,
      `password; it works once and is valid until ${until}:`,
      '',
      link.url,
      '',
      'If you did not expect this invitation, please ignore this message.',
      '',
    ].join('\n'),
  };
}
