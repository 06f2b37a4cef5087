package auth

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"
)

// mailText is one message in one language: a subject and a body template (text/template over
// EmailArgs; .Code is the code).
type mailText struct{ subject, body string }

// mailTexts are the messages by language (the part of the locale before '-') and template. A
// locale without its own texts gets English.
var mailTexts = map[string]map[MailTemplate]mailText{
	"en": {
		MailVerifyEmail: {"Your Amn verification code: {{.Code}}",
			"Your code to confirm this email address on Amn is:\n\n    {{.Code}}\n\n" +
				"It works for 15 minutes. If you did not create an Amn account, ignore this email.\n"},
		MailResetPassword: {"Your Amn password reset code: {{.Code}}",
			"Your code to set a new Amn password is:\n\n    {{.Code}}\n\n" +
				"It works for 15 minutes. If you did not ask to reset your password, ignore this email: your password stays as it is.\n"},
		MailRegisterNotice: {"Someone tried to register on Amn with your email",
			"Someone tried to create an Amn account with this email address, which already has one.\n\n" +
				"If it was you, sign in, or reset your password if you forgot it. If not, you need do nothing.\n"},
	},
	"ru": {
		MailVerifyEmail: {"Код подтверждения Amn: {{.Code}}",
			"Ваш код для подтверждения адреса на Amn:\n\n    {{.Code}}\n\n" +
				"Код действует 15 минут. Если вы не создавали аккаунт Amn, просто не отвечайте на это письмо.\n"},
		MailResetPassword: {"Код для сброса пароля Amn: {{.Code}}",
			"Ваш код для нового пароля Amn:\n\n    {{.Code}}\n\n" +
				"Код действует 15 минут. Если вы не просили сбросить пароль, ничего не делайте: пароль не изменится.\n"},
		MailRegisterNotice: {"Кто-то пытался зарегистрироваться на Amn с вашим адресом",
			"Кто-то пытался создать аккаунт Amn с этим адресом, но аккаунт с ним уже есть.\n\n" +
				"Если это были вы, войдите или сбросьте пароль. Если нет, ничего делать не нужно.\n"},
	},
}

// render returns the subject and body of a's message in a's language.
func render(a EmailArgs) (subject, body string, err error) {
	lang, _, _ := strings.Cut(a.Locale, "-")
	texts, ok := mailTexts[lang]
	if !ok {
		texts = mailTexts["en"]
	}
	t, ok := texts[a.Template]
	if !ok {
		return "", "", fmt.Errorf("auth: no mail template %q", a.Template)
	}
	if subject, err = execText(t.subject, a); err != nil {
		return "", "", err
	}
	body, err = execText(t.body, a)
	return subject, body, err
}

func execText(text string, a EmailArgs) (string, error) {
	t, err := template.New("").Option("missingkey=error").Parse(text)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, a); err != nil {
		return "", err
	}
	return b.String(), nil
}
