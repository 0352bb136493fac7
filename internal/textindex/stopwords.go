package textindex

import "strings"

// stopwords are each language's most frequent function words, abridged
// from the Snowball project's stop lists. They are dropped from terms and
// tell the languages apart in Detect.
var stopwords = map[Lang]map[string]struct{}{
	English: set(`a about above after again against all also am an and any are as at be because been
		before being below between both but by can could did do does doing down during each few for from
		further had has have having he her here hers herself him himself his how i if in into is it its
		itself just me more most my myself no nor not now of off on once only or other our ours ourselves
		out over own same she should so some such than that the their theirs them themselves then there
		these they this those through to too under until up very was we were what when where which while
		who whom why will with would you your yours yourself yourselves s t via within among upon thus
		well may must shall`),
	Dutch: set(`aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door
		dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets
		ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om
		omdat onder ons ook op over reeds te tegen toch toen tot u uit uw van veel voor want waren was
		wat werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo zonder zou`),
	French: set(`au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais
		me même mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes
		toi ton tu un une vos votre vous c d j l à m n s y été étée étées étés étant suis es est sommes
		êtes sont serai sera serons seront serait étais était étions étaient fus fut ai as avons avez ont
		aurai aura aurons auront avais avait avions avaient eu eue cette cet entre sans sous vers plus
		ainsi afin comme lors`),
	German: set(`aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
		anderes auch auf aus bei bin bis bist da damit dann das dass daß dein deine dem den der des dessen
		dich die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer
		eines einig einige er es etwas euch euer eure für gegen gewesen hab habe haben hat hatte hatten
		hier hin hinter ich ihm ihn ihnen ihr ihre im in indem ins ist jede jedem jeden jeder jedes jene
		jetzt kann kein keine können könnte machen man manche mein mich mir mit muss musste nach nicht
		nichts noch nun nur ob oder ohne sehr sein seine sich sie sind so solche soll sollte sondern sonst
		über um und uns unter viel vom von vor während war waren warst was weil welche wenn werde werden
		wie wieder will wir wird wirst wo wollen wollte würde würden zu zum zur zwar zwischen`),
}

func set(words string) map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields(words) {
		m[w] = struct{}{}
	}
	return m
}
