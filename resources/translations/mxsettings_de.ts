<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AccountView</name>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Choose which of your accounts to manage</source>
        <translation>Wählen Sie, welches Ihrer Konten Sie verwalten möchten</translation>
    </message>
    <message>
        <source>&amp;Add account…</source>
        <translation>Konto &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Add account</source>
        <translation>Konto hinzufügen</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Ab&amp;melden</translation>
    </message>
    <message>
        <source>Sign out of this account</source>
        <translation>Von diesem Konto abmelden</translation>
    </message>
    <message>
        <source>Account settings</source>
        <translation>Kontoeinstellungen</translation>
    </message>
</context>
<context>
    <name>AddressRow</name>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>%1 entfernen</translation>
    </message>
    <message>
        <source>Remove %1 from your account?</source>
        <translation>%1 aus Ihrem Konto entfernen?</translation>
    </message>
    <message>
        <source>Yes, remove</source>
        <translation>Ja, entfernen</translation>
    </message>
    <message>
        <source>Yes, remove %1</source>
        <translation>Ja, %1 entfernen</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <source>Keep %1</source>
        <translation>%1 behalten</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Matrix account settings</source>
        <translation>Matrix-Kontoeinstellungen</translation>
    </message>
</context>
<context>
    <name>CapabilityPage</name>
    <message>
        <source>Open the &amp;account page</source>
        <translation>&amp;Kontoseite öffnen</translation>
    </message>
    <message>
        <source>Open the account page in the browser</source>
        <translation>Die Kontoseite im Browser öffnen</translation>
    </message>
    <message>
        <source>Your server manages this on its account website. Open the account page to make changes.</source>
        <translation>Ihr Server verwaltet dies auf seiner Konto-Website. Öffnen Sie die Kontoseite, um etwas zu ändern.</translation>
    </message>
    <message>
        <source>Your server lets you change your password here.</source>
        <translation>Ihr Server erlaubt es, das Passwort hier zu ändern.</translation>
    </message>
    <message>
        <source>Your server does not allow changing the password from an app.</source>
        <translation>Ihr Server erlaubt nicht, das Passwort in einer App zu ändern.</translation>
    </message>
    <message>
        <source>Your server lets you add and remove email addresses and phone numbers here.</source>
        <translation>Ihr Server erlaubt es, hier E-Mail-Adressen und Telefonnummern hinzuzufügen und zu entfernen.</translation>
    </message>
    <message>
        <source>Your server does not allow changing email addresses or phone numbers from an app.</source>
        <translation>Ihr Server erlaubt nicht, E-Mail-Adressen oder Telefonnummern in einer App zu ändern.</translation>
    </message>
</context>
<context>
    <name>CloseAccountPage</name>
    <message>
        <source>Close your account</source>
        <translation>Ihr Konto schließen</translation>
    </message>
    <message>
        <source>Open the &amp;account page</source>
        <translation>&amp;Kontoseite öffnen</translation>
    </message>
    <message>
        <source>Open your server&apos;s account page in the browser</source>
        <translation>Die Kontoseite Ihres Servers im Browser öffnen</translation>
    </message>
    <message>
        <source>To confirm, type your user ID below: %1</source>
        <translation>Geben Sie zur Bestätigung unten Ihre Benutzer-ID ein: %1</translation>
    </message>
    <message>
        <source>Your user ID, typed to confirm</source>
        <translation>Ihre Benutzer-ID, zur Bestätigung eingegeben</translation>
    </message>
    <message>
        <source>Also &amp;erase my messages</source>
        <translation>Auch meine Nachrichten &amp;löschen</translation>
    </message>
    <message>
        <source>Also erase my messages</source>
        <translation>Auch meine Nachrichten löschen</translation>
    </message>
    <message>
        <source>People who join your rooms later will not see what you wrote. People who already received your messages may keep their copies.</source>
        <translation>Wer Ihren Räumen später beitritt, sieht nicht, was Sie geschrieben haben. Wer Ihre Nachrichten bereits erhalten hat, kann seine Kopien behalten.</translation>
    </message>
    <message>
        <source>C&amp;lose my account</source>
        <translation>Mein Konto &amp;schließen</translation>
    </message>
    <message>
        <source>Close my account permanently</source>
        <translation>Mein Konto endgültig schließen</translation>
    </message>
    <message>
        <source>Your server closes accounts on its own account page. Open it to close your account.</source>
        <translation>Ihr Server schließt Konten auf seiner eigenen Kontoseite. Öffnen Sie sie, um Ihr Konto zu schließen.</translation>
    </message>
    <message>
        <source>Your server manages accounts itself but gives no address for its account page. Ask your server&apos;s administrator to close your account.</source>
        <translation>Ihr Server verwaltet Konten selbst, nennt aber keine Adresse für seine Kontoseite. Bitten Sie die Administration Ihres Servers, Ihr Konto zu schließen.</translation>
    </message>
    <message>
        <source>You will not be able to sign in again, and nobody can take your user ID afterwards.</source>
        <translation>Sie können sich nicht mehr anmelden, und niemand kann Ihre Benutzer-ID danach übernehmen.</translation>
    </message>
    <message>
        <source>You leave all your rooms.</source>
        <translation>Sie verlassen alle Ihre Räume.</translation>
    </message>
    <message>
        <source>Your email addresses and phone numbers are removed from the account, and from the identity server where you made them discoverable.</source>
        <translation>Ihre E-Mail-Adressen und Telefonnummern werden aus dem Konto entfernt und auch vom Identitätsserver, bei dem Sie sie auffindbar gemacht haben.</translation>
    </message>
    <message>
        <source>Your messages stay visible to the people who received them, unless you also erase them.</source>
        <translation>Ihre Nachrichten bleiben für die Personen sichtbar, die sie erhalten haben, es sei denn, Sie löschen sie ebenfalls.</translation>
    </message>
    <message>
        <source>Closing your account cannot be undone.</source>
        <translation>Das Schließen Ihres Kontos kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Closing the account…</source>
        <translation>Das Konto wird geschlossen…</translation>
    </message>
    <message>
        <source>Your account is still open and this app still signed in.</source>
        <translation>Ihr Konto ist weiterhin offen, und diese App ist weiterhin angemeldet.</translation>
    </message>
    <message>
        <source>Your account is closed.</source>
        <translation>Ihr Konto ist geschlossen.</translation>
    </message>
    <message>
        <source>The account %1 is closed.</source>
        <translation>Das Konto %1 ist geschlossen.</translation>
    </message>
    <message>
        <source>The server was asked to erase your messages.</source>
        <translation>Der Server wurde gebeten, Ihre Nachrichten zu löschen.</translation>
    </message>
    <message>
        <source>No identity server lists your email addresses or phone numbers any more.</source>
        <translation>Kein Identitätsserver führt Ihre E-Mail-Adressen oder Telefonnummern mehr.</translation>
    </message>
    <message>
        <source>Your server could not confirm that your email addresses and phone numbers were withdrawn from an identity server. If you had made them discoverable, ask that identity server to remove them.</source>
        <translation>Ihr Server konnte nicht bestätigen, dass Ihre E-Mail-Adressen und Telefonnummern von einem Identitätsserver zurückgezogen wurden. Falls Sie sie dort auffindbar gemacht hatten, bitten Sie diesen Identitätsserver, sie zu entfernen.</translation>
    </message>
    <message>
        <source>Account closed</source>
        <translation>Konto geschlossen</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>ContactPage</name>
    <message>
        <source>Open the &amp;account page</source>
        <translation>&amp;Kontoseite öffnen</translation>
    </message>
    <message>
        <source>Open your server&apos;s account page in the browser</source>
        <translation>Die Kontoseite Ihres Servers im Browser öffnen</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Refresh the contact information</source>
        <translation>Die Kontaktdaten aktualisieren</translation>
    </message>
    <message>
        <source>Email addresses</source>
        <translation>E-Mail-Adressen</translation>
    </message>
    <message>
        <source>No email addresses yet.</source>
        <translation>Noch keine E-Mail-Adressen.</translation>
    </message>
    <message>
        <source>Phone numbers</source>
        <translation>Telefonnummern</translation>
    </message>
    <message>
        <source>No phone numbers yet.</source>
        <translation>Noch keine Telefonnummern.</translation>
    </message>
    <message>
        <source>Added on %1</source>
        <translation>Hinzugefügt am %1</translation>
    </message>
    <message>
        <source>Sending a confirmation link…</source>
        <translation>Bestätigungslink wird gesendet…</translation>
    </message>
    <message>
        <source>Sending a code…</source>
        <translation>Code wird gesendet…</translation>
    </message>
</context>
<context>
    <name>ContactText</name>
    <message>
        <source>Your server manages email addresses and phone numbers on its account page, not in apps. Open the account page to change them.</source>
        <translation>Ihr Server verwaltet E-Mail-Adressen und Telefonnummern auf seiner Kontoseite, nicht in Apps. Öffnen Sie die Kontoseite, um sie zu ändern.</translation>
    </message>
    <message>
        <source>Your server manages email addresses and phone numbers on its own website, not in apps.</source>
        <translation>Ihr Server verwaltet E-Mail-Adressen und Telefonnummern auf seiner eigenen Website, nicht in Apps.</translation>
    </message>
    <message>
        <source>Your server does not allow changing email addresses or phone numbers from an app. Ask your server&apos;s administrator if one needs changing.</source>
        <translation>Ihr Server erlaubt nicht, E-Mail-Adressen oder Telefonnummern in einer App zu ändern. Wenden Sie sich an die Administration Ihres Servers, wenn etwas geändert werden muss.</translation>
    </message>
    <message>
        <source>I &amp;opened the link</source>
        <translation>Ich habe den Link ge&amp;öffnet</translation>
    </message>
    <message>
        <source>Check &amp;now</source>
        <translation>&amp;Jetzt prüfen</translation>
    </message>
    <message>
        <source>We sent a link to %1. Open it, and the address is added by itself.</source>
        <translation>Wir haben einen Link an %1 gesendet. Öffnen Sie ihn, dann wird die Adresse von selbst hinzugefügt.</translation>
    </message>
    <message>
        <source>Code accepted. Adding %1…</source>
        <translation>Code angenommen. %1 wird hinzugefügt…</translation>
    </message>
    <message>
        <source>We sent a text message to %1. Follow it, and the number is added by itself.</source>
        <translation>Wir haben eine SMS an %1 gesendet. Folgen Sie ihr, dann wird die Nummer von selbst hinzugefügt.</translation>
    </message>
    <message>
        <source>We sent a code to %1 by text message. Type it here.</source>
        <translation>Wir haben einen Code per SMS an %1 gesendet. Geben Sie ihn hier ein.</translation>
    </message>
    <message>
        <source>The server cannot be reached right now. Nothing is lost: the app keeps trying.</source>
        <translation>Der Server ist gerade nicht erreichbar. Es geht nichts verloren: Die App versucht es weiter.</translation>
    </message>
    <message>
        <source>The number is not confirmed yet.</source>
        <translation>Die Nummer ist noch nicht bestätigt.</translation>
    </message>
    <message>
        <source>The identity server could not verify the address yet. Open the link in the email first.</source>
        <translation>Der Identitätsserver konnte die Adresse noch nicht prüfen. Öffnen Sie zuerst den Link in der E-Mail.</translation>
    </message>
    <message>
        <source>The link has not been opened yet. Open the link in the email to %1.</source>
        <translation>Der Link wurde noch nicht geöffnet. Öffnen Sie den Link in der E-Mail an %1.</translation>
    </message>
    <message>
        <source>The link has expired. Press Resend for a new one.</source>
        <translation>Der Link ist abgelaufen. Wählen Sie „Erneut senden“ für einen neuen.</translation>
    </message>
    <message>
        <source>The code has expired. Press Resend for a new one.</source>
        <translation>Der Code ist abgelaufen. Wählen Sie „Erneut senden“ für einen neuen.</translation>
    </message>
    <message>
        <source>This confirmation cannot be finished any more (the app could not keep its key). Press Resend to start again.</source>
        <translation>Diese Bestätigung kann nicht mehr abgeschlossen werden (die App konnte ihren Schlüssel nicht aufbewahren). Wählen Sie „Erneut senden“, um neu zu beginnen.</translation>
    </message>
    <message>
        <source>Waiting for you: open the link we sent to %1, then press “I opened the link” and confirm it is you.</source>
        <translation>Sie sind gefragt: Öffnen Sie den Link, den wir an %1 gesendet haben, wählen Sie dann „Ich habe den Link geöffnet“ und bestätigen Sie, dass Sie es sind.</translation>
    </message>
    <message>
        <source>Waiting for you: press “Check now” and confirm it is you to add %1.</source>
        <translation>Sie sind gefragt: Wählen Sie „Jetzt prüfen“ und bestätigen Sie, dass Sie es sind, um %1 hinzuzufügen.</translation>
    </message>
    <message>
        <source>%1 was added to your account.</source>
        <translation>%1 wurde Ihrem Konto hinzugefügt.</translation>
    </message>
    <message>
        <source>%1 was removed, and also from the identity server.</source>
        <translation>%1 wurde entfernt, auch beim Identitätsserver.</translation>
    </message>
    <message>
        <source>%1 was removed from your account. The identity server could not be told: if you had made it discoverable there, people may still find you by it.</source>
        <translation>%1 wurde aus Ihrem Konto entfernt. Der Identitätsserver konnte nicht benachrichtigt werden: Falls Sie die Adresse dort auffindbar gemacht hatten, können andere Sie womöglich weiterhin darüber finden.</translation>
    </message>
    <message>
        <source>This address is already on your account.</source>
        <translation>Diese Adresse gehört bereits zu Ihrem Konto.</translation>
    </message>
    <message>
        <source>This address is already waiting for confirmation below. Use Resend to send again.</source>
        <translation>Diese Adresse wartet unten bereits auf ihre Bestätigung. Wählen Sie dort „Erneut senden“, um noch einmal zu senden.</translation>
    </message>
    <message>
        <source>Type the code from the text message.</source>
        <translation>Geben Sie den Code aus der SMS ein.</translation>
    </message>
    <message>
        <source>A new link was sent to %1.</source>
        <translation>Ein neuer Link wurde an %1 gesendet.</translation>
    </message>
    <message>
        <source>A new code was sent to %1.</source>
        <translation>Ein neuer Code wurde an %1 gesendet.</translation>
    </message>
</context>
<context>
    <name>CountryCombo</name>
    <message>
        <source>Choose…</source>
        <translation>Bitte wählen…</translation>
    </message>
</context>
<context>
    <name>EmailDialog</name>
    <message>
        <source>Confirm it is you by email</source>
        <translation>Per E-Mail bestätigen, dass Sie es sind</translation>
    </message>
    <message>
        <source>Email address to send the link to</source>
        <translation>E-Mail-Adresse, an die der Link gehen soll</translation>
    </message>
    <message>
        <source>&amp;Send email</source>
        <translation>E-Mail &amp;senden</translation>
    </message>
    <message>
        <source>Send the email with the link</source>
        <translation>Die E-Mail mit dem Link senden</translation>
    </message>
    <message>
        <source>&amp;Resend email</source>
        <translation>E-Mail &amp;erneut senden</translation>
    </message>
    <message>
        <source>Send the email again</source>
        <translation>Die E-Mail erneut senden</translation>
    </message>
    <message>
        <source>I have &amp;opened the link</source>
        <translation>Ich habe den Link ge&amp;öffnet</translation>
    </message>
    <message>
        <source>I have opened the link: check now</source>
        <translation>Ich habe den Link geöffnet: jetzt prüfen</translation>
    </message>
    <message>
        <source>Your server wants you to prove that you can read one of your email addresses. Choose one, and the server will send a link to it.</source>
        <translation>Ihr Server möchte, dass Sie nachweisen, eine Ihrer E-Mail-Adressen lesen zu können. Wählen Sie eine aus, und der Server sendet einen Link an sie.</translation>
    </message>
    <message>
        <source>An email is on its way to %1. Open the link in it; this window continues by itself afterwards.</source>
        <translation>Eine E-Mail an %1 ist unterwegs. Öffnen Sie den Link darin; dieses Fenster fährt danach von selbst fort.</translation>
    </message>
    <message>
        <source>Your account has no email address to confirm with, so this cannot be done here.</source>
        <translation>Ihr Konto hat keine E-Mail-Adresse, mit der Sie bestätigen könnten; deshalb ist das hier nicht möglich.</translation>
    </message>
</context>
<context>
    <name>EmailForm</name>
    <message>
        <source>name@example.org</source>
        <translation>name@example.org</translation>
    </message>
    <message>
        <source>New email address</source>
        <translation>Neue E-Mail-Adresse</translation>
    </message>
    <message>
        <source>Press Enter to send it a confirmation link.</source>
        <translation>Drücken Sie die Eingabetaste, um einen Bestätigungslink an sie zu senden.</translation>
    </message>
    <message>
        <source>New &amp;email address:</source>
        <translation>Neue &amp;E-Mail-Adresse:</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Add email address</source>
        <translation>E-Mail-Adresse hinzufügen</translation>
    </message>
    <message>
        <source>Also let people find me by this email address</source>
        <translation>Andere dürfen mich über diese E-Mail-Adresse finden</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>You can try again now.</source>
        <translation>Sie können es jetzt erneut versuchen.</translation>
    </message>
    <message>
        <source>Something went wrong inside the app. Please try again; if it keeps happening, report it.</source>
        <translation>In der App ist etwas schiefgelaufen. Bitte versuchen Sie es erneut; wenn es immer wieder passiert, melden Sie den Fehler.</translation>
    </message>
    <message>
        <source>The server ran into a problem of its own (HTTP status %1). Try again later.</source>
        <translation>Der Server hat ein eigenes Problem (HTTP-Status %1). Versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <source>The password is wrong.</source>
        <translation>Das Passwort ist falsch.</translation>
    </message>
    <message>
        <source>The address has not been confirmed yet: open the link or enter the code first.</source>
        <translation>Die Adresse ist noch nicht bestätigt: Öffnen Sie zuerst den Link oder geben Sie den Code ein.</translation>
    </message>
    <message>
        <source>The link in the email has not been opened yet. Open it, then press Continue again.</source>
        <translation>Der Link in der E-Mail wurde noch nicht geöffnet. Öffnen Sie ihn und wählen Sie dann erneut „Weiter“.</translation>
    </message>
    <message>
        <source>The code sent to the phone has not been confirmed yet. Enter it, then try again.</source>
        <translation>Der an das Telefon gesendete Code ist noch nicht bestätigt. Geben Sie ihn ein und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>The server is getting too many requests. Wait a moment, then try again.</source>
        <translation>Der Server erhält zu viele Anfragen. Warten Sie einen Moment und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>This email address is not valid.</source>
        <translation>Diese E-Mail-Adresse ist ungültig.</translation>
    </message>
    <message>
        <source>This phone number is not valid. Include the country code.</source>
        <translation>Diese Telefonnummer ist ungültig. Geben Sie die Ländervorwahl mit an.</translation>
    </message>
    <message>
        <source>The server refused the request (error %2, HTTP status %1).</source>
        <translation>Der Server hat die Anfrage abgelehnt (Fehler %2, HTTP-Status %1).</translation>
    </message>
    <message>
        <source>The server refused the request (HTTP status %1).</source>
        <translation>Der Server hat die Anfrage abgelehnt (HTTP-Status %1).</translation>
    </message>
    <message>
        <source>The server could not do this and did not say why (HTTP status %1).</source>
        <translation>Der Server konnte dies nicht ausführen und hat keinen Grund genannt (HTTP-Status %1).</translation>
    </message>
    <message>
        <source>Your session has expired. Sign in again to continue.</source>
        <translation>Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an, um fortzufahren.</translation>
    </message>
    <message>
        <source>You have been signed out, maybe from another device. Sign in again.</source>
        <translation>Sie wurden abgemeldet, vielleicht von einem anderen Gerät aus. Melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>Your system keyring is locked. Unlock it, then try again.</source>
        <translation>Ihr Schlüsselbund ist gesperrt. Entsperren Sie ihn und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>The system keyring, where the app keeps your sign-in, did not work. Please try again.</source>
        <translation>Der Schlüsselbund des Systems, in dem die App Ihre Anmeldung aufbewahrt, hat nicht funktioniert. Bitte versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The action could not be finished.</source>
        <translation>Die Aktion konnte nicht abgeschlossen werden.</translation>
    </message>
    <message>
        <source>The app cannot reach %1. Check your internet connection, or try again later.</source>
        <translation>Die App kann %1 nicht erreichen. Prüfen Sie Ihre Internetverbindung oder versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <source>%1 did not answer in time. Try again later.</source>
        <translation>%1 hat nicht rechtzeitig geantwortet. Versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <source>The secure connection to %1 failed: its certificate is not valid or not trusted by this computer. If this keeps happening, tell the server&apos;s administrator.</source>
        <translation>Die sichere Verbindung zu %1 ist fehlgeschlagen: Das Zertifikat ist ungültig oder wird von diesem Computer nicht als vertrauenswürdig anerkannt. Wenn das wieder vorkommt, informieren Sie die Administration des Servers.</translation>
    </message>
    <message>
        <source>The address for %1 starts with http://, which is only allowed for this computer. Use an https:// address.</source>
        <translation>Die Adresse von %1 beginnt mit http://, was nur für diesen Computer erlaubt ist. Verwenden Sie eine https://-Adresse.</translation>
    </message>
    <message>
        <source>This is not a server name or address. Type a name such as example.org, or an https:// address.</source>
        <translation>Das ist kein Servername und keine Serveradresse. Geben Sie einen Namen wie example.org oder eine https://-Adresse ein.</translation>
    </message>
    <message>
        <source>%1 answers, but not like a Matrix homeserver. Check the server name.</source>
        <translation>%1 antwortet, aber nicht wie ein Matrix-Homeserver. Prüfen Sie den Servernamen.</translation>
    </message>
    <message>
        <source>The app no longer has the key for this confirmation, so it cannot be finished. Send a new one.</source>
        <translation>Die App hat den Schlüssel für diese Bestätigung nicht mehr und kann sie deshalb nicht abschließen. Fordern Sie eine neue an.</translation>
    </message>
    <message>
        <source>The server answered something the app does not understand.</source>
        <translation>Der Server hat etwas geantwortet, das die App nicht versteht.</translation>
    </message>
    <message>
        <source>Your server does not support this action.</source>
        <translation>Ihr Server unterstützt diese Aktion nicht.</translation>
    </message>
    <message>
        <source>Confirming it is you did not finish. Please try again.</source>
        <translation>Die Bestätigung, dass Sie es sind, wurde nicht abgeschlossen. Bitte versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The server wants a kind of confirmation this app cannot do. Use your server&apos;s website instead.</source>
        <translation>Der Server verlangt eine Art der Bestätigung, die diese App nicht beherrscht. Verwenden Sie stattdessen die Website Ihres Servers.</translation>
    </message>
    <message>
        <source>The confirmation took too long and the server forgot it. Please start again.</source>
        <translation>Die Bestätigung hat zu lange gedauert, und der Server hat sie vergessen. Bitte beginnen Sie neu.</translation>
    </message>
    <message>
        <source>The server asked to confirm it is you, but the app did not ask you. Please report this problem.</source>
        <translation>Der Server wollte eine Bestätigung, dass Sie es sind, aber die App hat Sie nicht gefragt. Bitte melden Sie diesen Fehler.</translation>
    </message>
    <message>
        <source>The server does not allow this action.</source>
        <translation>Der Server erlaubt diese Aktion nicht.</translation>
    </message>
    <message>
        <source>The app is not signed in to the server any more. Sign in again.</source>
        <translation>Die App ist beim Server nicht mehr angemeldet. Melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>Your account is locked; until your server&apos;s administrator unlocks it, you can only sign out.</source>
        <translation>Ihr Konto ist gesperrt; bis die Administration Ihres Servers es entsperrt, können Sie sich nur abmelden.</translation>
    </message>
    <message>
        <source>Your account is suspended, so the server does not allow this change.</source>
        <translation>Ihr Konto ist vorübergehend gesperrt, deshalb erlaubt der Server diese Änderung nicht.</translation>
    </message>
    <message>
        <source>This account has been deactivated and cannot be used any more.</source>
        <translation>Dieses Konto wurde deaktiviert und kann nicht mehr verwendet werden.</translation>
    </message>
    <message>
        <source>The server does not know this request; it may not offer this feature.</source>
        <translation>Der Server kennt diese Anfrage nicht; vielleicht bietet er diese Funktion nicht an.</translation>
    </message>
    <message>
        <source>The server did not accept the app&apos;s credentials for this request.</source>
        <translation>Der Server hat die Anmeldedaten der App für diese Anfrage nicht akzeptiert.</translation>
    </message>
    <message>
        <source>The server could not find what was asked for.</source>
        <translation>Der Server konnte das Angeforderte nicht finden.</translation>
    </message>
    <message>
        <source>The server says one of the values is not valid.</source>
        <translation>Laut Server ist einer der Werte ungültig.</translation>
    </message>
    <message>
        <source>The app left out something the server needs. Please report this problem.</source>
        <translation>Der App fehlt etwas, das der Server braucht. Bitte melden Sie diesen Fehler.</translation>
    </message>
    <message>
        <source>The server could not read the app&apos;s request. Please report this problem.</source>
        <translation>Der Server konnte die Anfrage der App nicht lesen. Bitte melden Sie diesen Fehler.</translation>
    </message>
    <message>
        <source>The server says the app&apos;s request was not in JSON format. Please report this problem.</source>
        <translation>Laut Server war die Anfrage der App nicht im JSON-Format. Bitte melden Sie diesen Fehler.</translation>
    </message>
    <message>
        <source>The server has reached a resource limit. Contact your server&apos;s administrator.</source>
        <translation>Der Server hat eine Ressourcengrenze erreicht. Wenden Sie sich an die Administration Ihres Servers.</translation>
    </message>
    <message>
        <source>Your account has reached a limit (quota or plan) set by your server.</source>
        <translation>Ihr Konto hat eine Grenze (Kontingent oder Tarif) erreicht, die Ihr Server festgelegt hat.</translation>
    </message>
    <message>
        <source>The server wants a CAPTCHA solved, which this app cannot show.</source>
        <translation>Der Server verlangt das Lösen eines CAPTCHAs, das diese App nicht anzeigen kann.</translation>
    </message>
    <message>
        <source>The CAPTCHA answer was not accepted. Please try again.</source>
        <translation>Die CAPTCHA-Antwort wurde nicht akzeptiert. Bitte versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>This server does not allow application services to sign in this way.</source>
        <translation>Dieser Server erlaubt Anwendungsdiensten nicht, sich auf diese Weise anzumelden.</translation>
    </message>
    <message>
        <source>This user name is already taken.</source>
        <translation>Dieser Benutzername ist bereits vergeben.</translation>
    </message>
    <message>
        <source>The server finds the new password too weak. Use a longer one that mixes letters, digits and symbols.</source>
        <translation>Der Server hält das neue Passwort für zu schwach. Verwenden Sie ein längeres, das Buchstaben, Ziffern und Sonderzeichen mischt.</translation>
    </message>
    <message>
        <source>The new password is too short for this server.</source>
        <translation>Das neue Passwort ist für diesen Server zu kurz.</translation>
    </message>
    <message>
        <source>The new password must contain a digit.</source>
        <translation>Das neue Passwort muss eine Ziffer enthalten.</translation>
    </message>
    <message>
        <source>The new password must contain a symbol, such as ! or #.</source>
        <translation>Das neue Passwort muss ein Sonderzeichen enthalten, etwa ! oder #.</translation>
    </message>
    <message>
        <source>The new password must contain an uppercase letter.</source>
        <translation>Das neue Passwort muss einen Großbuchstaben enthalten.</translation>
    </message>
    <message>
        <source>The new password must contain a lowercase letter.</source>
        <translation>Das neue Passwort muss einen Kleinbuchstaben enthalten.</translation>
    </message>
    <message>
        <source>The new password is a common word, which is too easy to guess.</source>
        <translation>Das neue Passwort ist ein gebräuchliches Wort und damit zu leicht zu erraten.</translation>
    </message>
    <message>
        <source>This address is already used by another account.</source>
        <translation>Diese Adresse wird bereits von einem anderen Konto verwendet.</translation>
    </message>
    <message>
        <source>No account on this server uses this address.</source>
        <translation>Kein Konto auf diesem Server verwendet diese Adresse.</translation>
    </message>
    <message>
        <source>Your server does not allow this address.</source>
        <translation>Ihr Server erlaubt diese Adresse nicht.</translation>
    </message>
    <message>
        <source>Your server cannot handle this kind of address.</source>
        <translation>Ihr Server kann mit dieser Art von Adresse nicht umgehen.</translation>
    </message>
    <message>
        <source>Your homeserver does not trust the chosen identity server.</source>
        <translation>Ihr Homeserver vertraut dem gewählten Identitätsserver nicht.</translation>
    </message>
    <message>
        <source>You need to accept the identity server&apos;s terms of service first.</source>
        <translation>Sie müssen zuerst den Nutzungsbedingungen des Identitätsservers zustimmen.</translation>
    </message>
    <message>
        <source>The email could not be sent. Check the address, or try again later.</source>
        <translation>Die E-Mail konnte nicht gesendet werden. Prüfen Sie die Adresse oder versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <source>This address is not valid.</source>
        <translation>Diese Adresse ist ungültig.</translation>
    </message>
    <message>
        <source>The text message could not be sent. Check the number, or try again later.</source>
        <translation>Die SMS konnte nicht gesendet werden. Prüfen Sie die Nummer oder versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <source>Text messages cannot be sent to this country or region.</source>
        <translation>In dieses Land oder diese Region können keine SMS gesendet werden.</translation>
    </message>
    <message>
        <source>This address has not been confirmed yet.</source>
        <translation>Diese Adresse ist noch nicht bestätigt.</translation>
    </message>
    <message>
        <source>The confirmation has expired. Ask for a new email or code.</source>
        <translation>Die Bestätigung ist abgelaufen. Fordern Sie eine neue E-Mail oder einen neuen Code an.</translation>
    </message>
    <message>
        <source>The server has no confirmation in progress for this address. Please start again.</source>
        <translation>Für diese Adresse läuft beim Server keine Bestätigung. Bitte beginnen Sie neu.</translation>
    </message>
    <message>
        <source>The code is wrong. Check it and try again.</source>
        <translation>Der Code ist falsch. Prüfen Sie ihn und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The identity server changed its lookup settings meanwhile. Please try again.</source>
        <translation>Der Identitätsserver hat inzwischen seine Sucheinstellungen geändert. Bitte versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The identity server says the app&apos;s request is incomplete. Please report this problem.</source>
        <translation>Laut Identitätsserver ist die Anfrage der App unvollständig. Bitte melden Sie diesen Fehler.</translation>
    </message>
    <message>
        <source>You need to accept your server&apos;s privacy policy first; the server has sent you a link to it.</source>
        <translation>Sie müssen zuerst der Datenschutzerklärung Ihres Servers zustimmen; der Server hat Ihnen einen Link dazu geschickt.</translation>
    </message>
    <message>
        <source>Your account has expired. Contact your server&apos;s administrator to renew it.</source>
        <translation>Ihr Konto ist abgelaufen. Wenden Sie sich an die Administration Ihres Servers, um es zu verlängern.</translation>
    </message>
    <message>
        <source>Your account is waiting for approval by the server&apos;s administrator.</source>
        <translation>Ihr Konto wartet auf die Freigabe durch die Administration des Servers.</translation>
    </message>
    <message>
        <source>The app cannot reach %1. Check the server address and your internet connection.</source>
        <translation>Die App kann %1 nicht erreichen. Prüfen Sie die Serveradresse und Ihre Internetverbindung.</translation>
    </message>
    <message>
        <source>The server at this address does not answer like a Matrix homeserver.</source>
        <translation>Der Server unter dieser Adresse antwortet nicht wie ein Matrix-Homeserver.</translation>
    </message>
    <message>
        <source>This server offers no way of signing in that the app supports.</source>
        <translation>Dieser Server bietet keine Anmeldeart an, die die App unterstützt.</translation>
    </message>
    <message>
        <source>This server does not support signing in this way.</source>
        <translation>Dieser Server unterstützt diese Art der Anmeldung nicht.</translation>
    </message>
    <message>
        <source>The user name or password is wrong.</source>
        <translation>Benutzername oder Passwort ist falsch.</translation>
    </message>
    <message>
        <source>The app cannot reach %1 to check your saved sign-in. It is kept; try again when you are online.</source>
        <translation>Die App kann %1 nicht erreichen, um Ihre gespeicherte Anmeldung zu prüfen. Sie bleibt erhalten; versuchen Sie es erneut, wenn Sie online sind.</translation>
    </message>
    <message>
        <source>Your saved sign-in is no longer valid. Please sign in again.</source>
        <translation>Ihre gespeicherte Anmeldung ist nicht mehr gültig. Bitte melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>The current password is wrong.</source>
        <translation>Das aktuelle Passwort ist falsch.</translation>
    </message>
    <message>
        <source>Your server does not allow changing the password here.</source>
        <translation>Ihr Server erlaubt nicht, das Passwort hier zu ändern.</translation>
    </message>
    <message>
        <source>Your server does not let this app change the password. Use your server&apos;s account page.</source>
        <translation>Ihr Server lässt diese App das Passwort nicht ändern. Verwenden Sie die Kontoseite Ihres Servers.</translation>
    </message>
    <message>
        <source>No account on this server uses this email address.</source>
        <translation>Kein Konto auf diesem Server verwendet diese E-Mail-Adresse.</translation>
    </message>
    <message>
        <source>Your server does not allow changing the email addresses of this account.</source>
        <translation>Ihr Server erlaubt nicht, die E-Mail-Adressen dieses Kontos zu ändern.</translation>
    </message>
    <message>
        <source>Your server does not allow changing the phone numbers of this account.</source>
        <translation>Ihr Server erlaubt nicht, die Telefonnummern dieses Kontos zu ändern.</translation>
    </message>
    <message>
        <source>Your server does not support adding email addresses.</source>
        <translation>Ihr Server unterstützt das Hinzufügen von E-Mail-Adressen nicht.</translation>
    </message>
    <message>
        <source>Your server does not support adding phone numbers.</source>
        <translation>Ihr Server unterstützt das Hinzufügen von Telefonnummern nicht.</translation>
    </message>
    <message>
        <source>This email address is already used by another account.</source>
        <translation>Diese E-Mail-Adresse wird bereits von einem anderen Konto verwendet.</translation>
    </message>
    <message>
        <source>This phone number is already used by another account.</source>
        <translation>Diese Telefonnummer wird bereits von einem anderen Konto verwendet.</translation>
    </message>
    <message>
        <source>Your server does not allow this email address, for example because of its domain.</source>
        <translation>Ihr Server erlaubt diese E-Mail-Adresse nicht, zum Beispiel wegen ihrer Domain.</translation>
    </message>
    <message>
        <source>Your server does not allow this phone number.</source>
        <translation>Ihr Server erlaubt diese Telefonnummer nicht.</translation>
    </message>
    <message>
        <source>Your server cannot send email, so it cannot add email addresses.</source>
        <translation>Ihr Server kann keine E-Mails senden und daher keine E-Mail-Adressen hinzufügen.</translation>
    </message>
    <message>
        <source>Your server cannot send text messages, so it cannot add phone numbers.</source>
        <translation>Ihr Server kann keine SMS senden und daher keine Telefonnummern hinzufügen.</translation>
    </message>
    <message>
        <source>Your server does not allow removing addresses from this account.</source>
        <translation>Ihr Server erlaubt nicht, Adressen aus diesem Konto zu entfernen.</translation>
    </message>
    <message>
        <source>Your account is suspended, and suspended accounts cannot remove addresses.</source>
        <translation>Ihr Konto ist vorübergehend gesperrt, und gesperrte Konten können keine Adressen entfernen.</translation>
    </message>
    <message>
        <source>This address is no longer on your account.</source>
        <translation>Diese Adresse gehört nicht mehr zu Ihrem Konto.</translation>
    </message>
    <message>
        <source>Your server does not support removing addresses.</source>
        <translation>Ihr Server unterstützt das Entfernen von Adressen nicht.</translation>
    </message>
    <message>
        <source>Your server does not allow deactivating this account.</source>
        <translation>Ihr Server erlaubt nicht, dieses Konto zu deaktivieren.</translation>
    </message>
    <message>
        <source>Your server does not let this app deactivate the account. Use your server&apos;s account page.</source>
        <translation>Ihr Server lässt diese App das Konto nicht deaktivieren. Verwenden Sie die Kontoseite Ihres Servers.</translation>
    </message>
    <message>
        <source>Problem at the identity server %1: %2</source>
        <translation>Problem beim Identitätsserver %1: %2</translation>
    </message>
    <message>
        <source>Problem at the identity server: %1</source>
        <translation>Problem beim Identitätsserver: %1</translation>
    </message>
</context>
<context>
    <name>FallbackDialog</name>
    <message>
        <source>Continue in your browser</source>
        <translation>Im Browser fortfahren</translation>
    </message>
    <message>
        <source>Waiting for the browser… This window continues by itself once the page is done.</source>
        <translation>Warten auf den Browser… Dieses Fenster fährt von selbst fort, sobald die Seite erledigt ist.</translation>
    </message>
    <message>
        <source>Waiting for the browser</source>
        <translation>Warten auf den Browser</translation>
    </message>
    <message>
        <source>If no browser opened, open this address yourself:</source>
        <translation>Falls sich kein Browser geöffnet hat, öffnen Sie diese Adresse selbst:</translation>
    </message>
    <message>
        <source>&amp;Open the page again</source>
        <translation>Seite &amp;erneut öffnen</translation>
    </message>
    <message>
        <source>Open the page again</source>
        <translation>Seite erneut öffnen</translation>
    </message>
    <message>
        <source>I have &amp;finished</source>
        <translation>Ich bin &amp;fertig</translation>
    </message>
    <message>
        <source>I have finished in the browser: check now</source>
        <translation>Ich bin im Browser fertig: jetzt prüfen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel the action</source>
        <translation>Die Aktion abbrechen</translation>
    </message>
    <message>
        <source>Your server wants you to confirm it is you by signing in with your identity provider. The app has opened that page in your browser.</source>
        <translation>Ihr Server möchte, dass Sie sich zur Bestätigung bei Ihrem Identitätsanbieter anmelden. Die App hat diese Seite in Ihrem Browser geöffnet.</translation>
    </message>
    <message>
        <source>Your server wants you to prove you are a person. The app has opened its check in your browser.</source>
        <translation>Ihr Server möchte, dass Sie nachweisen, ein Mensch zu sein. Die App hat diese Prüfung in Ihrem Browser geöffnet.</translation>
    </message>
    <message>
        <source>Your server wants you to accept its terms. The app has opened them in your browser.</source>
        <translation>Ihr Server möchte, dass Sie seinen Nutzungsbedingungen zustimmen. Die App hat sie in Ihrem Browser geöffnet.</translation>
    </message>
    <message>
        <source>Your server wants you to approve this on its account page, now open in your browser.</source>
        <translation>Ihr Server möchte, dass Sie dies auf seiner Kontoseite freigeben, die jetzt in Ihrem Browser geöffnet ist.</translation>
    </message>
    <message>
        <source>Your server wants one more step (%1) that it runs on its own page, now open in your browser.</source>
        <translation>Ihr Server möchte einen weiteren Schritt (%1), den er auf seiner eigenen Seite ausführt, die jetzt in Ihrem Browser geöffnet ist.</translation>
    </message>
</context>
<context>
    <name>KeyringBanner</name>
    <message>
        <source>No system keyring was found (such as GNOME Keyring or KWallet).</source>
        <translation>Es wurde kein Schlüsselbund des Systems gefunden (etwa GNOME Keyring oder KWallet).</translation>
    </message>
    <message>
        <source>The keyring has been turned off.</source>
        <translation>Der Schlüsselbund wurde abgeschaltet.</translation>
    </message>
    <message>
        <source>Only a keyring that stores passwords in a plain file is available, and the app will not use it.</source>
        <translation>Es gibt nur einen Schlüsselbund, der Passwörter in einer unverschlüsselten Datei ablegt, und die App verwendet ihn nicht.</translation>
    </message>
    <message>
        <source>The configured keyring is not one of the system keyrings the app trusts.</source>
        <translation>Der eingestellte Schlüsselbund gehört nicht zu den Schlüsselbunden des Systems, denen die App vertraut.</translation>
    </message>
    <message>
        <source>The system keyring is locked.</source>
        <translation>Der Schlüsselbund des Systems ist gesperrt.</translation>
    </message>
    <message>
        <source>The system keyring has no default collection to keep secrets in.</source>
        <translation>Der Schlüsselbund des Systems hat keine Standardsammlung, in der Geheimnisse abgelegt werden könnten.</translation>
    </message>
    <message>
        <source>The system keyring is not answering.</source>
        <translation>Der Schlüsselbund des Systems antwortet nicht.</translation>
    </message>
    <message>
        <source>You stay signed in only until you close the app; nothing is written to disk in plain text.</source>
        <translation>Sie bleiben nur angemeldet, bis Sie die App schließen; nichts wird unverschlüsselt auf die Festplatte geschrieben.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Contact info</source>
        <translation>Kontaktdaten</translation>
    </message>
    <message>
        <source>Close account</source>
        <translation>Konto schließen</translation>
    </message>
    <message>
        <source>Matrix account settings</source>
        <translation>Matrix-Kontoeinstellungen</translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation>&amp;Erneut versuchen</translation>
    </message>
    <message>
        <source>Try again to open your saved accounts</source>
        <translation>Erneut versuchen, Ihre gespeicherten Konten zu öffnen</translation>
    </message>
    <message>
        <source>Opening your accounts…</source>
        <translation>Ihre Konten werden geöffnet…</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>In Arbeit</translation>
    </message>
    <message>
        <source>Your session has expired. Enter your password.</source>
        <translation>Ihre Sitzung ist abgelaufen. Geben Sie Ihr Passwort ein.</translation>
    </message>
    <message>
        <source>%1 was signed out by the server; sign in again to manage it.</source>
        <translation>%1 wurde vom Server abgemeldet; melden Sie sich erneut an, um das Konto zu verwalten.</translation>
    </message>
    <message>
        <source>The session of %1 has expired; sign in again.</source>
        <translation>Die Sitzung von %1 ist abgelaufen; melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>%1 is locked by the server&apos;s administrators.</source>
        <translation>%1 ist von der Administration des Servers gesperrt.</translation>
    </message>
    <message>
        <source>%1 has to sign in again: its session was not kept.</source>
        <translation>%1 muss sich erneut anmelden: Die Sitzung wurde nicht aufbewahrt.</translation>
    </message>
    <message>
        <source>%1 could not be opened: %2</source>
        <translation>%1 konnte nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>%1 – Matrix account settings</source>
        <translation>%1 – Matrix-Kontoeinstellungen</translation>
    </message>
    <message>
        <source>Signing out…</source>
        <translation>Abmelden…</translation>
    </message>
    <message>
        <source>Signed out of %1.</source>
        <translation>Von %1 abgemeldet.</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Confirm it is you</source>
        <translation>Bestätigen, dass Sie es sind</translation>
    </message>
    <message>
        <source>To continue, enter the password of %1.</source>
        <translation>Geben Sie zum Fortfahren das Passwort von %1 ein.</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>&amp;Weiter</translation>
    </message>
    <message>
        <source>Continue with this password</source>
        <translation>Mit diesem Passwort fortfahren</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel the action</source>
        <translation>Die Aktion abbrechen</translation>
    </message>
    <message>
        <source>The password is wrong. Try again.</source>
        <translation>Das Passwort ist falsch. Versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The server did not accept this password (%1). Try again.</source>
        <translation>Der Server hat dieses Passwort nicht akzeptiert (%1). Versuchen Sie es erneut.</translation>
    </message>
</context>
<context>
    <name>PasswordFeedback</name>
    <message>
        <source>Add another word or two. Uncommon words are better.</source>
        <translation>Fügen Sie ein oder zwei weitere Wörter hinzu. Ungewöhnliche Wörter sind besser.</translation>
    </message>
    <message>
        <source>Capitalization doesn&apos;t help very much.</source>
        <translation>Großschreibung hilft nicht viel.</translation>
    </message>
    <message>
        <source>Reversed words aren&apos;t much harder to guess.</source>
        <translation>Rückwärts geschriebene Wörter sind kaum schwerer zu erraten.</translation>
    </message>
    <message>
        <source>Predictable substitutions like &apos;@&apos; instead of &apos;a&apos; don&apos;t help very much.</source>
        <translation>Vorhersehbare Ersetzungen wie „@“ statt „a“ helfen nicht viel.</translation>
    </message>
    <message>
        <source>Use a few words, avoid common phrases.</source>
        <translation>Verwenden Sie mehrere Wörter und vermeiden Sie gängige Redewendungen.</translation>
    </message>
    <message>
        <source>No need for symbols, digits, or uppercase letters.</source>
        <translation>Sonderzeichen, Ziffern oder Großbuchstaben sind nicht nötig.</translation>
    </message>
    <message>
        <source>Straight rows of keys are easy to guess.</source>
        <translation>Gerade Tastenreihen sind leicht zu erraten.</translation>
    </message>
    <message>
        <source>Short keyboard patterns are easy to guess.</source>
        <translation>Kurze Tastaturmuster sind leicht zu erraten.</translation>
    </message>
    <message>
        <source>This is a top-10 common password.</source>
        <translation>Dies ist eines der 10 häufigsten Passwörter.</translation>
    </message>
    <message>
        <source>This is similar to a commonly used password.</source>
        <translation>Dies ähnelt einem häufig verwendeten Passwort.</translation>
    </message>
    <message>
        <source>A word by itself is easy to guess.</source>
        <translation>Ein einzelnes Wort ist leicht zu erraten.</translation>
    </message>
    <message>
        <source>All-uppercase is almost as easy to guess as all-lowercase.</source>
        <translation>Nur Großbuchstaben sind fast so leicht zu erraten wie nur Kleinbuchstaben.</translation>
    </message>
    <message>
        <source>Use a longer keyboard pattern with more turns.</source>
        <translation>Verwenden Sie ein längeres Tastaturmuster mit mehr Richtungswechseln.</translation>
    </message>
    <message>
        <source>Repeats like &quot;aaa&quot; are easy to guess.</source>
        <translation>Wiederholungen wie „aaa“ sind leicht zu erraten.</translation>
    </message>
    <message>
        <source>Repeats like &quot;abcabcabc&quot; are only slightly harder to guess than &quot;abc&quot;.</source>
        <translation>Wiederholungen wie „abcabcabc“ sind nur wenig schwerer zu erraten als „abc“.</translation>
    </message>
    <message>
        <source>This is a top-100 common password.</source>
        <translation>Dies ist eines der 100 häufigsten Passwörter.</translation>
    </message>
    <message>
        <source>This is a very common password.</source>
        <translation>Dies ist ein sehr häufiges Passwort.</translation>
    </message>
    <message>
        <source>Names and surnames by themselves are easy to guess.</source>
        <translation>Vor- und Nachnamen allein sind leicht zu erraten.</translation>
    </message>
    <message>
        <source>Common names and surnames are easy to guess.</source>
        <translation>Häufige Vor- und Nachnamen sind leicht zu erraten.</translation>
    </message>
    <message>
        <source>Avoid repeated words and characters.</source>
        <translation>Vermeiden Sie wiederholte Wörter und Zeichen.</translation>
    </message>
    <message>
        <source>Sequences like &quot;abc&quot; or &quot;6543&quot; are easy to guess.</source>
        <translation>Folgen wie „abc“ oder „6543“ sind leicht zu erraten.</translation>
    </message>
    <message>
        <source>Avoid sequences.</source>
        <translation>Vermeiden Sie Folgen.</translation>
    </message>
    <message>
        <source>Recent years are easy to guess.</source>
        <translation>Jahreszahlen der letzten Jahre sind leicht zu erraten.</translation>
    </message>
    <message>
        <source>Dates are often easy to guess.</source>
        <translation>Datumsangaben sind oft leicht zu erraten.</translation>
    </message>
    <message>
        <source>Avoid recent years.</source>
        <translation>Vermeiden Sie Jahreszahlen der letzten Jahre.</translation>
    </message>
    <message>
        <source>Avoid years that are associated with you.</source>
        <translation>Vermeiden Sie Jahreszahlen, die mit Ihnen zu tun haben.</translation>
    </message>
    <message>
        <source>Avoid dates and years that are associated with you.</source>
        <translation>Vermeiden Sie Datumsangaben und Jahreszahlen, die mit Ihnen zu tun haben.</translation>
    </message>
</context>
<context>
    <name>PasswordPage</name>
    <message>
        <source>Change your password</source>
        <translation>Ihr Passwort ändern</translation>
    </message>
    <message>
        <source>Open the &amp;account page</source>
        <translation>&amp;Kontoseite öffnen</translation>
    </message>
    <message>
        <source>Open your server&apos;s account page in the browser</source>
        <translation>Die Kontoseite Ihres Servers im Browser öffnen</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>Aktuelles Passwort</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Neues Passwort</translation>
    </message>
    <message>
        <source>Password strength</source>
        <translation>Passwortstärke</translation>
    </message>
    <message>
        <source>Confirm new password</source>
        <translation>Neues Passwort bestätigen</translation>
    </message>
    <message>
        <source>S&amp;how passwords</source>
        <translation>Passwörter an&amp;zeigen</translation>
    </message>
    <message>
        <source>Show the passwords as plain text</source>
        <translation>Die Passwörter im Klartext anzeigen</translation>
    </message>
    <message>
        <source>Sign out of my &amp;other sessions</source>
        <translation>Meine anderen &amp;Sitzungen abmelden</translation>
    </message>
    <message>
        <source>Sign out of my other sessions</source>
        <translation>Meine anderen Sitzungen abmelden</translation>
    </message>
    <message>
        <source>Choose this if someone else may know your password. Your other devices will have to sign in again, and a session signed out this way loses its encrypted messages unless they are in key backup or on another verified session.</source>
        <translation>Wählen Sie dies, wenn jemand anderes Ihr Passwort kennen könnte. Ihre anderen Geräte müssen sich dann erneut anmelden, und eine so abgemeldete Sitzung verliert ihre verschlüsselten Nachrichten, sofern diese nicht in der Schlüsselsicherung oder in einer anderen verifizierten Sitzung liegen.</translation>
    </message>
    <message>
        <source>&amp;Change password</source>
        <translation>Passwort &amp;ändern</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>Passwort ändern</translation>
    </message>
    <message>
        <source>C&amp;urrent password</source>
        <translation>&amp;Aktuelles Passwort</translation>
    </message>
    <message>
        <source>&amp;New password</source>
        <translation>&amp;Neues Passwort</translation>
    </message>
    <message>
        <source>Con&amp;firm new password</source>
        <translation>Neues Passwort &amp;bestätigen</translation>
    </message>
    <message>
        <source>Your server manages passwords on its own account page. Change your password there.</source>
        <translation>Ihr Server verwaltet Passwörter auf seiner eigenen Kontoseite. Ändern Sie Ihr Passwort dort.</translation>
    </message>
    <message>
        <source>Your server manages sign-in itself but gives no address for its account page. Ask your server&apos;s administrator how to change your password.</source>
        <translation>Ihr Server verwaltet die Anmeldung selbst, nennt aber keine Adresse für seine Kontoseite. Fragen Sie die Administration Ihres Servers, wie Sie Ihr Passwort ändern können.</translation>
    </message>
    <message>
        <source>Your server does not allow changing the password from an app. Ask your server&apos;s administrator, or use your server&apos;s own website if it has one.</source>
        <translation>Ihr Server erlaubt nicht, das Passwort in einer App zu ändern. Wenden Sie sich an die Administration Ihres Servers, oder verwenden Sie die Website Ihres Servers, falls es eine gibt.</translation>
    </message>
    <message>
        <source>C&amp;urrent password (if you have one)</source>
        <translation>&amp;Aktuelles Passwort (falls vorhanden)</translation>
    </message>
    <message>
        <source>The new password is too long: at most %1 characters.</source>
        <translation>Das neue Passwort ist zu lang: höchstens %1 Zeichen.</translation>
    </message>
    <message>
        <source>8 or more characters</source>
        <translation>mindestens 8 Zeichen</translation>
    </message>
    <message>
        <source>a lowercase letter</source>
        <translation>ein Kleinbuchstabe</translation>
    </message>
    <message>
        <source>an uppercase letter</source>
        <translation>ein Großbuchstabe</translation>
    </message>
    <message>
        <source>a digit</source>
        <translation>eine Ziffer</translation>
    </message>
    <message>
        <source>a symbol, such as ! or #</source>
        <translation>ein Sonderzeichen, etwa ! oder #</translation>
    </message>
    <message>
        <source>done</source>
        <translation>erfüllt</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>fehlt</translation>
    </message>
    <message>
        <source>Recommended:</source>
        <translation>Empfohlen:</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Very weak</source>
        <translation>Sehr schwach</translation>
    </message>
    <message>
        <source>Weak</source>
        <translation>Schwach</translation>
    </message>
    <message>
        <source>Fair</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>Gut</translation>
    </message>
    <message>
        <source>Strong</source>
        <translation>Stark</translation>
    </message>
    <message>
        <source>Strength: %1. %2</source>
        <translation>Stärke: %1. %2</translation>
    </message>
    <message>
        <source>Strength: %1</source>
        <translation>Stärke: %1</translation>
    </message>
    <message>
        <source>This does not match the new password.</source>
        <translation>Das stimmt nicht mit dem neuen Passwort überein.</translation>
    </message>
    <message>
        <source>Changing the password…</source>
        <translation>Das Passwort wird geändert…</translation>
    </message>
    <message>
        <source>Your password has been changed.</source>
        <translation>Ihr Passwort wurde geändert.</translation>
    </message>
    <message>
        <source>Your other sessions have been signed out.</source>
        <translation>Ihre anderen Sitzungen wurden abgemeldet.</translation>
    </message>
    <message>
        <source>Your other sessions stay signed in.</source>
        <translation>Ihre anderen Sitzungen bleiben angemeldet.</translation>
    </message>
    <message>
        <source>This app is still signed in.</source>
        <translation>Diese App ist weiterhin angemeldet.</translation>
    </message>
    <message>
        <source>The server signed this app out as well: sign in again with the new password.</source>
        <translation>Der Server hat auch diese App abgemeldet: Melden Sie sich mit dem neuen Passwort erneut an.</translation>
    </message>
</context>
<context>
    <name>PendingRow</name>
    <message>
        <source>%1, not confirmed yet</source>
        <translation>%1, noch nicht bestätigt</translation>
    </message>
    <message>
        <source>Code:</source>
        <translation>Code:</translation>
    </message>
    <message>
        <source>Code sent to %1</source>
        <translation>An %1 gesendeter Code</translation>
    </message>
    <message>
        <source>Confirm code</source>
        <translation>Code bestätigen</translation>
    </message>
    <message>
        <source>Confirm the code for %1</source>
        <translation>Den Code für %1 bestätigen</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Resend</source>
        <translation>Erneut senden</translation>
    </message>
    <message>
        <source>Send again to %1</source>
        <translation>Erneut an %1 senden</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop adding %1</source>
        <translation>Hinzufügen von %1 abbrechen</translation>
    </message>
    <message>
        <source>Resend (%1 s)</source>
        <translation>Erneut senden (%1 s)</translation>
    </message>
</context>
<context>
    <name>PhoneDialog</name>
    <message>
        <source>Confirm it is you by text message</source>
        <translation>Per SMS bestätigen, dass Sie es sind</translation>
    </message>
    <message>
        <source>Phone number to send the code to</source>
        <translation>Telefonnummer, an die der Code gehen soll</translation>
    </message>
    <message>
        <source>&amp;Send code</source>
        <translation>Code &amp;senden</translation>
    </message>
    <message>
        <source>Send the code by text message</source>
        <translation>Den Code per SMS senden</translation>
    </message>
    <message>
        <source>&amp;Resend code</source>
        <translation>Code &amp;erneut senden</translation>
    </message>
    <message>
        <source>Send the code again</source>
        <translation>Den Code erneut senden</translation>
    </message>
    <message>
        <source>&amp;Check now</source>
        <translation>&amp;Jetzt prüfen</translation>
    </message>
    <message>
        <source>Check the confirmation now</source>
        <translation>Die Bestätigung jetzt prüfen</translation>
    </message>
    <message>
        <source>Your server wants you to prove that you can receive text messages at one of your phone numbers. Choose one, and the server will send a code to it.</source>
        <translation>Ihr Server möchte, dass Sie nachweisen, unter einer Ihrer Telefonnummern SMS empfangen zu können. Wählen Sie eine aus, und der Server sendet einen Code an sie.</translation>
    </message>
    <message>
        <source>A code is on its way to %1. Type it here.</source>
        <translation>Ein Code an %1 ist unterwegs. Geben Sie ihn hier ein.</translation>
    </message>
    <message>
        <source>Waiting for the server to confirm %1…</source>
        <translation>Warten, bis der Server %1 bestätigt…</translation>
    </message>
    <message>
        <source>Your account has no phone number to confirm with, so this cannot be done here.</source>
        <translation>Ihr Konto hat keine Telefonnummer, mit der Sie bestätigen könnten; deshalb ist das hier nicht möglich.</translation>
    </message>
</context>
<context>
    <name>PhoneForm</name>
    <message>
        <source>Country of the phone number</source>
        <translation>Land der Telefonnummer</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>Telefonnummer</translation>
    </message>
    <message>
        <source>New phone number</source>
        <translation>Neue Telefonnummer</translation>
    </message>
    <message>
        <source>Press Enter to have a code sent to it.</source>
        <translation>Drücken Sie die Eingabetaste, um einen Code an sie senden zu lassen.</translation>
    </message>
    <message>
        <source>&amp;Country:</source>
        <translation>&amp;Land:</translation>
    </message>
    <message>
        <source>New &amp;phone number:</source>
        <translation>Neue &amp;Telefonnummer:</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Add phone number</source>
        <translation>Telefonnummer hinzufügen</translation>
    </message>
    <message>
        <source>Also let people find me by this phone number</source>
        <translation>Andere dürfen mich über diese Telefonnummer finden</translation>
    </message>
</context>
<context>
    <name>RateLimitText</name>
    <message numerus="yes">
        <source>The server is getting too many requests. Try again in %n second(s).</source>
        <translation>
            <numerusform>Der Server erhält zu viele Anfragen. Versuchen Sie es in %n Sekunde erneut.</numerusform>
            <numerusform>Der Server erhält zu viele Anfragen. Versuchen Sie es in %n Sekunden erneut.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The server is getting too many requests. Try again in %n minute(s).</source>
        <translation>
            <numerusform>Der Server erhält zu viele Anfragen. Versuchen Sie es in %n Minute erneut.</numerusform>
            <numerusform>Der Server erhält zu viele Anfragen. Versuchen Sie es in %n Minuten erneut.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Sign in to your Matrix account</source>
        <translation>Bei Ihrem Matrix-Konto anmelden</translation>
    </message>
    <message>
        <source>Back to my accounts</source>
        <translation>Zurück zu meinen Konten</translation>
    </message>
    <message>
        <source>&amp;Homeserver:</source>
        <translation>&amp;Homeserver:</translation>
    </message>
    <message>
        <source>Homeserver</source>
        <translation>Homeserver</translation>
    </message>
    <message>
        <source>A server name such as example.org, or its URL</source>
        <translation>Ein Servername wie example.org oder seine URL</translation>
    </message>
    <message>
        <source>example.org</source>
        <translation>example.org</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>&amp;Weiter</translation>
    </message>
    <message>
        <source>Sign in with a password</source>
        <translation>Mit einem Passwort anmelden</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Your user name, Matrix ID or email address</source>
        <translation>Ihr Benutzername, Ihre Matrix-ID oder E-Mail-Adresse</translation>
    </message>
    <message>
        <source>alice or @alice:example.org</source>
        <translation>alice oder @alice:example.org</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>&amp;Anmelden</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>Sign in with single sign-on</source>
        <translation>Mit Single Sign-On anmelden</translation>
    </message>
    <message>
        <source>Your browser opens; come back here when you are done.</source>
        <translation>Ihr Browser öffnet sich; kommen Sie hierher zurück, wenn Sie fertig sind.</translation>
    </message>
    <message>
        <source>Your server manages accounts on its own website</source>
        <translation>Ihr Server verwaltet Konten auf seiner eigenen Website</translation>
    </message>
    <message>
        <source>Open the &amp;account page</source>
        <translation>&amp;Kontoseite öffnen</translation>
    </message>
    <message>
        <source>Server: %1</source>
        <translation>Server: %1</translation>
    </message>
    <message>
        <source>This server offers no way of signing in that this app knows.</source>
        <translation>Dieser Server bietet keine Anmeldeart an, die diese App kennt.</translation>
    </message>
    <message>
        <source>This server hands signing in and account settings to its own website. Signing in to it from this app is coming; until then, manage your password, email addresses and sessions there.</source>
        <translation>Dieser Server überlässt die Anmeldung und die Kontoeinstellungen seiner eigenen Website. Die Anmeldung dort aus dieser App heraus kommt noch; bis dahin verwalten Sie Ihr Passwort, Ihre E-Mail-Adressen und Ihre Sitzungen dort.</translation>
    </message>
    <message>
        <source>The server does not say where that website is.</source>
        <translation>Der Server gibt nicht an, wo diese Website ist.</translation>
    </message>
    <message>
        <source>Continue with %1</source>
        <translation>Weiter mit %1</translation>
    </message>
    <message>
        <source>Continue in the &amp;browser</source>
        <translation>Im Br&amp;owser fortfahren</translation>
    </message>
    <message>
        <source>Looking up the server…</source>
        <translation>Der Server wird gesucht…</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>Geben Sie Ihren Benutzernamen ein.</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>Geben Sie Ihr Passwort ein.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Anmeldung läuft…</translation>
    </message>
    <message>
        <source>Waiting for the browser…</source>
        <translation>Warten auf den Browser…</translation>
    </message>
</context>
<context>
    <name>ThreePidDialog</name>
    <message>
        <source>Code from the text message</source>
        <translation>Code aus der SMS</translation>
    </message>
    <message>
        <source>Waiting for the confirmation</source>
        <translation>Warten auf die Bestätigung</translation>
    </message>
    <message>
        <source>C&amp;onfirm</source>
        <translation>&amp;Bestätigen</translation>
    </message>
    <message>
        <source>Confirm the code</source>
        <translation>Den Code bestätigen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel the action</source>
        <translation>Die Aktion abbrechen</translation>
    </message>
    <message>
        <source>Loading your addresses…</source>
        <translation>Ihre Adressen werden geladen…</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Wird gesendet…</translation>
    </message>
    <message>
        <source>Sending again…</source>
        <translation>Wird erneut gesendet…</translation>
    </message>
    <message>
        <source>Sent again to %1.</source>
        <translation>Erneut an %1 gesendet.</translation>
    </message>
    <message>
        <source>Checking the code…</source>
        <translation>Der Code wird geprüft…</translation>
    </message>
    <message>
        <source>The code is wrong. Check it and try again.</source>
        <translation>Der Code ist falsch. Prüfen Sie ihn und versuchen Sie es erneut.</translation>
    </message>
</context>
<context>
    <name>_Form</name>
    <message>
        <source>Also let people &amp;find me by this address</source>
        <translation>Andere dürfen mich über diese Adresse &amp;finden</translation>
    </message>
    <message>
        <source>Your server will tell its identity server, so people who know the address can find you.</source>
        <translation>Ihr Server teilt es seinem Identitätsserver mit, sodass Personen, die die Adresse kennen, Sie finden können.</translation>
    </message>
    <message>
        <source>Type the address first.</source>
        <translation>Geben Sie zuerst die Adresse ein.</translation>
    </message>
    <message>
        <source>This is not an email address. It looks like name@example.org.</source>
        <translation>Das ist keine E-Mail-Adresse. Sie sieht etwa so aus: name@example.org.</translation>
    </message>
    <message>
        <source>This is not a phone number. Use digits, spaces and + only.</source>
        <translation>Das ist keine Telefonnummer. Verwenden Sie nur Ziffern, Leerzeichen und +.</translation>
    </message>
    <message>
        <source>Choose the country, or start the number with + and its code.</source>
        <translation>Wählen Sie das Land aus, oder beginnen Sie die Nummer mit + und der Ländervorwahl.</translation>
    </message>
    <message>
        <source>This number is too short. Check it, with its area code.</source>
        <translation>Diese Nummer ist zu kurz. Prüfen Sie sie, mit Vorwahl.</translation>
    </message>
    <message>
        <source>This number is too long. Check it.</source>
        <translation>Diese Nummer ist zu lang. Prüfen Sie sie.</translation>
    </message>
    <message>
        <source>No country uses this code. Check the start of the number.</source>
        <translation>Kein Land verwendet diese Vorwahl. Prüfen Sie den Anfang der Nummer.</translation>
    </message>
</context>
</TS>
