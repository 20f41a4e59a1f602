// Transcripts in languages other than English. Fathom transcribes in the language spoken and reports it in
// transcript_language; the summary stays English ("Always displayed in English", fathom-api.md §3.2).

/** Lines of a short sales call, [speaker, text]: "host" is the recorder, "contact" the other side. */
export type ScriptLine = ["host" | "contact", string];

export const OTHER_LANGUAGES = ["de", "es", "ja", "fr"] as const;
export type OtherLanguage = typeof OTHER_LANGUAGES[number];

/** company: the other side's company; contact: the first name the host greets. */
export function scriptFor(language: OtherLanguage, company: string, contact: string): ScriptLine[] {
  switch (language) {
    case "de":
      return [
        ["host", `Hallo ${contact}, danke, dass Sie sich heute Zeit nehmen. Hören Sie mich gut?`],
        ["contact", "Ja, sehr gut. Danke für die Einladung."],
        ["host", `Wie organisiert ${company} die Kundengespräche im Moment?`],
        ["contact", "Ehrlich gesagt mit Tabellen und viel Handarbeit. Nachfassaktionen gehen oft verloren."],
        ["host", "Das hören wir häufig. Wie viele Personen wären beteiligt?"],
        ["contact", "Etwa dreißig, und das Team wächst weiter."],
        ["host", "Ich schicke Ihnen bis morgen ein Angebot für das Business-Paket."],
        ["contact", "Sehr gut. Ich bespreche es dann mit unserem Finanzchef."],
        ["host", "Perfekt. Vielen Dank und bis bald!"],
        ["contact", "Danke, auf Wiederhören."],
      ];
    case "es":
      return [
        ["host", `Hola ${contact}, gracias por tu tiempo hoy. ¿Me escuchas bien?`],
        ["contact", "Sí, perfectamente. Gracias por organizar la llamada."],
        ["host", `¿Cómo gestiona ${company} hoy las conversaciones con clientes?`],
        ["contact", "Con hojas de cálculo y correos. Se nos escapan muchos seguimientos."],
        ["host", "Es muy común. ¿Cuántas personas usarían la herramienta?"],
        ["contact", "Unas treinta, y el equipo sigue creciendo."],
        ["host", "Te envío mañana una propuesta con el plan Business."],
        ["contact", "Genial. La revisaré con nuestra directora financiera."],
        ["host", "Perfecto. ¡Muchas gracias y hasta pronto!"],
        ["contact", "Gracias, hasta luego."],
      ];
    case "ja":
      return [
        ["host", `${contact}さん、本日はお時間をいただきありがとうございます。音声は聞こえていますか？`],
        ["contact", "はい、よく聞こえます。よろしくお願いします。"],
        ["host", `${company}では現在、顧客との会話をどのように管理していますか？`],
        ["contact", "スプレッドシートとメールです。フォローアップが漏れることが多いです。"],
        ["host", "よくあるお悩みですね。何名ほどで利用される予定ですか？"],
        ["contact", "三十名ほどで、チームはまだ増えています。"],
        ["host", "明日までにビジネスプランのお見積もりをお送りします。"],
        ["contact", "ありがとうございます。財務責任者と確認します。"],
        ["host", "承知しました。本日はありがとうございました。"],
        ["contact", "ありがとうございました。失礼します。"],
      ];
    case "fr":
      return [
        ["host", `Bonjour ${contact}, merci de prendre le temps aujourd'hui. Vous m'entendez bien ?`],
        ["contact", "Oui, parfaitement. Merci d'avoir organisé l'appel."],
        ["host", `Comment ${company} suit-elle ses échanges avec les clients aujourd'hui ?`],
        ["contact", "Avec des tableurs et des e-mails. Beaucoup de relances se perdent."],
        ["host", "C'est très courant. Combien de personnes utiliseraient l'outil ?"],
        ["contact", "Une trentaine, et l'équipe continue de grandir."],
        ["host", "Je vous envoie demain une proposition pour l'offre Business."],
        ["contact", "Très bien. Je la relirai avec notre directrice financière."],
        ["host", "Parfait. Merci beaucoup et à bientôt !"],
        ["contact", "Merci, au revoir."],
      ];
  }
}

export function isOtherLanguage(language: string): language is OtherLanguage {
  return (OTHER_LANGUAGES as readonly string[]).includes(language);
}
